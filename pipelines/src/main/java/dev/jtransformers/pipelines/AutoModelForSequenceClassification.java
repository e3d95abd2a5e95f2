package dev.jtransformers.pipelines;

import dev.jtransformers.api.BatchEncoding;
import dev.jtransformers.api.Tensor;
import dev.jtransformers.models.ModelConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;

/**
 * A model with its sequence-classification head, as Python's {@code
 * AutoModelForSequenceClassification.from_pretrained(checkpoint)}: its output is one row of logits per input. The
 * head is chosen exactly as the text-classification pipeline chooses it: the graph's own {@code logits} when it ends
 * in its classifier, else the {@code BertForSequenceClassification} / {@code DistilBertForSequenceClassification}
 * head its {@code config.json} names, read from {@code model.safetensors}. An encoder without a classifier takes a
 * head trained by this project instead ({@link LoadOptions.Builder#head}).
 *
 * <pre>{@code
 * try (var model = AutoModelForSequenceClassification.fromPretrained(checkpoint)) {
 *   Tensor logits = model.forward(inputs);                             // [2, 2]
 *   Tensor probabilities = FunctionToApply.SOFTMAX.apply(logits);
 *   String first = model.config().id2label().get(0);                   // NEGATIVE
 * }
 * }</pre>
 *
 * <p>Thread-safe. Holds the engine's native resources until {@link #close()}.
 */
public final class AutoModelForSequenceClassification implements AutoCloseable {
  private final TaskModel model;

  private AutoModelForSequenceClassification(TaskModel model) {
    this.model = model;
  }

  /**
   * Loads a classifier on the best backend on the classpath, on the CPU.
   *
   * @param modelIdOrDirectory a model directory, or the id of an embedded model
   * @throws dev.jtransformers.api.ModelLoadException if the model can't be found or read, or it has no
   *     classification head
   * @throws dev.jtransformers.api.BackendException if no backend on the classpath can load it
   */
  public static AutoModelForSequenceClassification fromPretrained(String modelIdOrDirectory) {
    return fromPretrained(modelIdOrDirectory, LoadOptions.DEFAULT);
  }

  /**
   * Loads a classifier on the backend and device the options name.
   *
   * @throws dev.jtransformers.api.ModelLoadException if the model can't be found or read, or it has no
   *     classification head
   * @throws dev.jtransformers.api.BackendException if the backend is absent, or none can load the model on the
   *     device
   */
  public static AutoModelForSequenceClassification fromPretrained(String modelIdOrDirectory, LoadOptions options) {
    Objects.requireNonNull(options, "options");
    return new AutoModelForSequenceClassification(TaskModel.load(modelIdOrDirectory, options,
        (loader, checkpoint, model) -> options.head().isPresent()
            ? loader.trainedHead(options.head().get(), checkpoint)
            : loader.classificationHead(checkpoint, model)));
  }

  /**
   * The class name of each logit column, as Python's {@code model.config.id2label}: the head's own labels for a head
   * trained by this project, else the model's {@code config.json}.
   */
  public SortedMap<Integer, String> id2label() {
    return model.id2label();
  }

  /** The model's {@code config.json}. */
  public ModelConfig config() {
    return model.checkpoint().config();
  }

  /**
   * The Hugging Face Hub commit the model was taken at (what a revision such as {@code main} resolved to), as
   * Python's {@code config._commit_hash}; empty for a local directory or an embedded model.
   */
  public Optional<String> commit() {
    return model.checkpoint().commit();
  }

  /**
   * Runs the model and its head.
   *
   * @return the logits, {@code [batch, labels]}; {@link dev.jtransformers.pipelines.tasks.FunctionToApply#apply(Tensor)} turns them into
   *     probabilities
   * @throws dev.jtransformers.api.BackendException if the engine fails
   * @throws IllegalStateException if the model is closed
   */
  public Tensor forward(BatchEncoding batch) {
    return model.forward(batch);
  }

  /**
   * Saves the model and its head into {@code directory}, as {@link AutoModel#save} does: the head's weights are part
   * of the checkpoint's {@code model.safetensors} and ONNX graph. A head given with {@link LoadOptions.Builder#head}
   * is not part of the checkpoint and is not saved: it stays in its own directory.
   *
   * @throws IllegalArgumentException if {@code directory} is the one the model was loaded from
   * @throws UnsupportedOperationException if the model has no ONNX graph (other formats can't be saved yet)
   * @throws IOException if a file can't be read or written ({@link java.io.UncheckedIOException} from the weights
   *     writer)
   */
  public void save(Path directory) throws IOException {
    model.save(directory);
  }

  /** Releases the engine's native resources; closing twice is harmless. */
  @Override
  public void close() {
    model.close();
  }

  @Override
  public String toString() {
    return model.describe("AutoModelForSequenceClassification");
  }
}
