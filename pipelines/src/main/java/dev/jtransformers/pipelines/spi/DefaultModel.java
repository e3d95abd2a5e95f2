package dev.jtransformers.pipelines.spi;

import java.util.Objects;
import java.util.Optional;

/**
 * The model a task runs when a pipeline names none.
 *
 * @param model a model id or directory
 * @param trainedHead a head trained by this project ({@code train-head}) to put on the model unless the pipeline
 *     names a head: an id or directory
 */
public record DefaultModel(String model, Optional<String> trainedHead) {

  public DefaultModel {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(trainedHead, "trainedHead");
  }

  /** The model alone. */
  public static DefaultModel of(String model) {
    return new DefaultModel(model, Optional.empty());
  }
}
