package dev.jtransformers.pipelines;

import dev.jtransformers.api.Label;
import dev.jtransformers.api.Pipeline;
import dev.jtransformers.api.Tensor;
import java.util.List;

/**
 * The short way in, as Python's {@code pipeline()}: {@code Pipelines.pipeline("sentiment-analysis")}. Each call
 * discovers the backends and heads on the classpath; applications that build many pipelines, or use dependency
 * injection, keep one {@link PipelineFactory} instead.
 */
public final class Pipelines {
  private Pipelines() {}

  /**
   * A pipeline for a task by its Hugging Face name ({@code sentiment-analysis}, {@code text-classification},
   * {@code feature-extraction}) on the task's embedded default model.
   */
  public static Pipeline<?> pipeline(String task) {
    return create(PipelineConfig.builder(Task.of(task)).build());
  }

  /** A pipeline for a task on a model id or local directory. */
  public static Pipeline<?> pipeline(String task, String model) {
    return create(PipelineConfig.builder(Task.of(task)).model(model).build());
  }

  /** A pipeline as a configuration describes it. */
  public static Pipeline<?> create(PipelineConfig config) {
    return PipelineFactory.fromServiceLoader().create(config);
  }

  /** A text-classification pipeline; the configuration's task must be text classification. */
  public static Pipeline<List<Label>> textClassification(PipelineConfig config) {
    return PipelineFactory.fromServiceLoader().textClassification(config);
  }

  /** A feature-extraction pipeline; the configuration's task must be feature extraction. */
  public static Pipeline<Tensor> featureExtraction(PipelineConfig config) {
    return PipelineFactory.fromServiceLoader().featureExtraction(config);
  }
}
