package dev.jtransformers.pipelines;

import dev.jtransformers.api.Tensor;
import dev.jtransformers.architectures.TaskHead;
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
 *   String label = model().id2label().get(1);                // B-PER
 * }
 * }</pre>
 *
 * <p>Thread-safe. Holds the engine's native resources until {@link #close()}.
 */
public final class AutoModelForTokenClassification extends AutoTaskModel {
  private AutoModelForTokenClassification(TaskModel model) {
    super(model);
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
    return model().id2label();
  }
}
