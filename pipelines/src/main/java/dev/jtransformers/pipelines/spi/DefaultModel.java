package dev.jtransformers.pipelines.spi;

import java.util.Objects;
import java.util.Optional;

/**
 * The model a task runs when a pipeline names none.
 *
 * @param model a model id or directory
 * @param trainedHead a head trained by this project ({@code train-head}) to put on the model unless the pipeline
 *     names a head: an id or directory
 * @param adapter a LoRA adapter fine-tuned by this project ({@code fine-tune --lora-rank}) to merge into the model
 *     unless the pipeline names one, classifying with its own head unless the pipeline names a head: an id or
 *     directory
 */
public record DefaultModel(String model, Optional<String> trainedHead, Optional<String> adapter) {

  public DefaultModel {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(trainedHead, "trainedHead");
    Objects.requireNonNull(adapter, "adapter");
  }

  /** A model with a trained head, or none. */
  public DefaultModel(String model, Optional<String> trainedHead) {
    this(model, trainedHead, Optional.empty());
  }


  /** The model alone. */
  public static DefaultModel of(String model) {
    return new DefaultModel(model, Optional.empty());
  }
}
