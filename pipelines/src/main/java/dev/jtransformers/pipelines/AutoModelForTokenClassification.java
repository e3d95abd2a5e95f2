package dev.jtransformers.pipelines;

import dev.jtransformers.api.BatchEncoding;
import dev.jtransformers.api.Tensor;
import dev.jtransformers.architectures.TaskHead;
import dev.jtransformers.models.ModelConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.SortedMap;

/**
 * A model with its token-classification head, as Python's {@code
 * AutoModelForTokenClassification.from_pretrained(checkpoint)}: its output is a row of logits per token. The
 * checkpoint's {@code config.json} must name a {@code *ForTokenClassification} architecture (e.g. {@code
 * BertForTokenClassification}); loaded as pipelines load their model.
 *
 * <pre>{@code
 * try (var model = AutoModelForTokenClassification.fromPretrained(checkpoint)) {
 *   Tensor logits = model.forward(inputs);                 // [batch, sequence, labels]
 *   String label = model.id2label().get(1);                // B-PER
 * }
 * }</pre>
 *
 * <p>Thread-safe. Holds the engine's native resources until {@link #close()}.
 */
public final class AutoModelForTokenClassification implements AutoCloseable {
  private final TaskModel model;

  private AutoModelForTokenClassification(TaskModel model) {
    this.model = model;
  }

  /**
   * Loads a token classifier on the best backend on the classpath, on the CPU.
   *
   * @param modelIdOrDirectory a model directory, or the id of an embedded model
   * @throws dev.jtransformers.api.ModelLoadException if the model can't be found or read, or is not a token
   *     classifier (the message names the architecture found)
   * @throws dev.jtransformers.api.BackendException if no backend on the classpath can load it
   */
  public static AutoModelForTokenClassification fromPretrained(String modelIdOrDirectory) {
    return fromPretrained(modelIdOrDirectory, LoadOptions.DEFAULT);
  }

  /**
   * Loads a token classifier on the backend and device the options name.
   *
   * @throws dev.jtransformers.api.ModelLoadException if the model can't be found or read, or is not a token
   *     classifier (the message names the architecture found)
   * @throws dev.jtransformers.api.BackendException if the backend is absent, or none can load the model on the
   *     device
   */
  public static AutoModelForTokenClassification fromPretrained(String modelIdOrDirectory, LoadOptions options) {
    return new AutoModelForTokenClassification(TaskModel.withTokenLogits(
        modelIdOrDirectory, options, TaskHead.TOKEN_CLASSIFICATION, "AutoModelForTokenClassification"));
  }

  /** The label of each logit column, as Python's {@code model.config.id2label}. */
  public SortedMap<Integer, String> id2label() {
    return model.id2label();
  }

  /** The model's {@code config.json}. */
  public ModelConfig config() {
    return model.checkpoint().config();
  }

  /**
   * Runs the model.
   *
   * @return the logits, {@code [batch, sequence, labels]}
   * @throws dev.jtransformers.api.BackendException if the engine fails
   * @throws IllegalStateException if the model is closed
   */
  public Tensor forward(BatchEncoding batch) {
    return model.forward(batch);
  }

  /**
   * Saves the model into {@code directory}, as {@link AutoModel#save} does.
   *
   * @throws IllegalArgumentException if {@code directory} is the one the model was loaded from
   * @throws UnsupportedOperationException if the model has no ONNX graph (other formats can't be saved yet)
   * @throws IOException if a file can't be read or written
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
    return model.describe("AutoModelForTokenClassification");
  }
}
