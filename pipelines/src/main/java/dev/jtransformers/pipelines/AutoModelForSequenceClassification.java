package dev.jtransformers.pipelines;

import dev.jtransformers.api.BatchEncoding;
import dev.jtransformers.api.Model;
import dev.jtransformers.api.Tensor;
import dev.jtransformers.models.ModelConfig;
import dev.jtransformers.spi.Head;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

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
  private final Checkpoint checkpoint;
  private final Model model;
  private final Head head;

  private AutoModelForSequenceClassification(Checkpoint checkpoint, Model model, Head head) {
    this.checkpoint = checkpoint;
    this.model = model;
    this.head = head;
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
    ModelLoader loader = ModelLoader.fromServiceLoader();
    return loader.loadWrapped(modelIdOrDirectory, options, (checkpoint, model) -> {
      Head head =
          options.head().isPresent()
              ? loader.trainedHead(options.head().get(), checkpoint)
              : loader.classificationHead(checkpoint, model);
      return new AutoModelForSequenceClassification(checkpoint, model, head);
    });
  }

  /**
   * The class name of each logit column, as Python's {@code model.config.id2label}: the head's own labels for a head
   * trained by this project, else the model's {@code config.json}.
   */
  public SortedMap<Integer, String> id2label() {
    List<String> labels = ModelLoader.labels(checkpoint, head);
    SortedMap<Integer, String> map = new TreeMap<>();
    for (int i = 0; i < labels.size(); i++) {
      map.put(i, labels.get(i));
    }
    return Collections.unmodifiableSortedMap(map);
  }

  /** The model's {@code config.json}. */
  public ModelConfig config() {
    return checkpoint.config();
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
    Objects.requireNonNull(batch, "batch");
    return head.apply(model.forward(batch), batch);
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
    CheckpointWriter.write(checkpoint, Objects.requireNonNull(directory, "directory"));
  }

  /** Releases the engine's native resources; closing twice is harmless. */
  @Override
  public void close() {
    model.close();
  }

  @Override
  public String toString() {
    return "AutoModelForSequenceClassification[" + checkpoint.directory() + ", " + checkpoint.config() + "]";
  }
}
