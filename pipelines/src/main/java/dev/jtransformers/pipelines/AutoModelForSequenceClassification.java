package dev.jtransformers.pipelines;

import dev.jtransformers.api.Tensor;
import java.util.Objects;
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
public final class AutoModelForSequenceClassification extends AutoTaskModel {
  private AutoModelForSequenceClassification(TaskModel model) {
    super(model);
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
            : options.adapter().isPresent()
                ? loader.adapterHead(options.adapter().get(), checkpoint)
                : loader.classificationHead(checkpoint, model)));
  }

  /**
   * The class name of each logit column, as Python's {@code model.config.id2label}: the head's own labels for a head
   * trained by this project, else the model's {@code config.json}.
   */
  public SortedMap<Integer, String> id2label() {
    return model().id2label();
  }
}
