package dev.jtransformers.pipelines;

import dev.jtransformers.api.BatchEncoding;
import dev.jtransformers.api.Model;
import dev.jtransformers.api.ModelOutput;
import dev.jtransformers.api.Tensor;
import dev.jtransformers.models.ModelConfig;
import dev.jtransformers.pipelines.tasks.SpanLogitsHead;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An extractive question-answering model, as Python's {@code AutoModelForQuestionAnswering.from_pretrained(checkpoint)}:
 * a {@code *ForQuestionAnswering} checkpoint whose output is, per token, the score of starting and of ending the
 * answer there. Loaded exactly as the question-answering pipeline loads it.
 *
 * <pre>{@code
 * try (var model = AutoModelForQuestionAnswering.fromPretrained(checkpoint)) {
 *   ModelOutput outputs = model.forward(tokenizer.encodeBatch(List.of(TextInput.pair(question, context)), options));
 *   Tensor start = outputs.get(ModelOutput.START_LOGITS);             // [1, sequence]
 *   Tensor end = outputs.get(ModelOutput.END_LOGITS);                 // [1, sequence]
 * }
 * }</pre>
 *
 * <p>Thread-safe. Holds the engine's native resources until {@link #close()}.
 */
public final class AutoModelForQuestionAnswering implements AutoCloseable {
  private final Checkpoint checkpoint;
  private final Model model;

  private AutoModelForQuestionAnswering(Checkpoint checkpoint, Model model) {
    this.checkpoint = checkpoint;
    this.model = model;
  }

  /**
   * Loads a question-answering model on the best backend on the classpath, on the CPU.
   *
   * @param modelIdOrDirectory a model directory, or the id of an embedded model
   * @throws dev.jtransformers.api.ModelLoadException if the model can't be found or read, or it is not a {@code
   *     *ForQuestionAnswering} (the message names the architecture found)
   * @throws dev.jtransformers.api.BackendException if no backend on the classpath can load it
   */
  public static AutoModelForQuestionAnswering fromPretrained(String modelIdOrDirectory) {
    return fromPretrained(modelIdOrDirectory, LoadOptions.DEFAULT);
  }

  /**
   * Loads a question-answering model on the backend and device the options name.
   *
   * @throws dev.jtransformers.api.ModelLoadException if the model can't be found or read, or it is not a {@code
   *     *ForQuestionAnswering} (the message names the architecture found)
   * @throws dev.jtransformers.api.BackendException if the backend is absent, or none can load the model on the
   *     device
   */
  public static AutoModelForQuestionAnswering fromPretrained(String modelIdOrDirectory, LoadOptions options) {
    return ModelLoader.fromServiceLoader().loadWrapped(modelIdOrDirectory, options, (checkpoint, model) -> {
      SpanLogitsHead.of(checkpoint.directory(), checkpoint.config(), model.outputNames());
      return new AutoModelForQuestionAnswering(checkpoint, model);
    });
  }

  /** The model's {@code config.json}. */
  public ModelConfig config() {
    return checkpoint.config();
  }

  /**
   * Runs the model, as Python's {@code model(**inputs)}.
   *
   * @return {@link ModelOutput#START_LOGITS} and {@link ModelOutput#END_LOGITS}, each {@code [batch, sequence]}
   * @throws dev.jtransformers.api.BackendException if the engine fails
   * @throws IllegalStateException if the model is closed
   */
  public ModelOutput forward(BatchEncoding batch) {
    ModelOutput output = model.forward(Objects.requireNonNull(batch, "batch"));
    Map<String, Tensor> spans = new LinkedHashMap<>();
    spans.put(ModelOutput.START_LOGITS, output.get(ModelOutput.START_LOGITS));
    spans.put(ModelOutput.END_LOGITS, output.get(ModelOutput.END_LOGITS));
    return ModelOutput.of(spans);
  }

  /** Releases the engine's native resources; closing twice is harmless. */
  @Override
  public void close() {
    model.close();
  }

  @Override
  public String toString() {
    return "AutoModelForQuestionAnswering[" + checkpoint.directory() + ", " + checkpoint.config() + "]";
  }
}
