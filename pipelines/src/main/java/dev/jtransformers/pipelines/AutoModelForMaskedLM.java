package dev.jtransformers.pipelines;

import dev.jtransformers.api.Tensor;
import dev.jtransformers.architectures.TaskHead;

/**
 * A model with its masked-language-modelling head, as Python's {@code
 * AutoModelForMaskedLM.from_pretrained(checkpoint)}: its output is a logit for every vocabulary entry at every
 * token. The checkpoint's {@code config.json} must name a {@code *ForMaskedLM} architecture (e.g. {@code
 * BertForMaskedLM}); a checkpoint whose decoder is tied to the word embeddings (its {@code model.safetensors}
 * without the decoder weight) loads too. Loaded as pipelines load their model.
 *
 * <pre>{@code
 * try (var model = AutoModelForMaskedLM.fromPretrained(checkpoint)) {
 *   Tensor logits = model.forward(inputs);                 // [batch, sequence, vocab]
 * }
 * }</pre>
 *
 * <p>Thread-safe. Holds the engine's native resources until {@link #close()}.
 */
public final class AutoModelForMaskedLM extends AutoTaskModel {
  private AutoModelForMaskedLM(TaskModel model) {
    super(model);
  }

  /**
   * Loads a masked LM on the best backend on the classpath, on the CPU.
   *
   * @param modelIdOrDirectory a model directory, or the id of an embedded model
   * @throws dev.jtransformers.api.ModelLoadException if the model can't be found or read, or is not a masked LM
   *     (the message names the architecture found)
   * @throws dev.jtransformers.api.BackendException if no backend on the classpath can load it
   */
  public static AutoModelForMaskedLM fromPretrained(String modelIdOrDirectory) {
    return fromPretrained(modelIdOrDirectory, LoadOptions.DEFAULT);
  }

  /**
   * Loads a masked LM on the backend and device the options name.
   *
   * @throws dev.jtransformers.api.ModelLoadException if the model can't be found or read, or is not a masked LM
   *     (the message names the architecture found)
   * @throws dev.jtransformers.api.BackendException if the backend is absent, or none can load the model on the
   *     device
   */
  public static AutoModelForMaskedLM fromPretrained(String modelIdOrDirectory, LoadOptions options) {
    return new AutoModelForMaskedLM(
        TaskModel.withTokenLogits(modelIdOrDirectory, options, TaskHead.MASKED_LM, "AutoModelForMaskedLM"));
  }
}
