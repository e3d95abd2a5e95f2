package dev.jtransformers.pipelines;

import dev.jtransformers.api.Pipeline;

/**
 * The short way in, as Python's {@code pipeline()}: {@code Pipelines.pipeline("sentiment-analysis")}. Each call
 * discovers the tasks, backends and heads on the classpath; applications that build many pipelines, or use
 * dependency injection, keep one {@link PipelineFactory} instead.
 */
public final class Pipelines {
  private Pipelines() {}

  /**
   * A pipeline for a task by its Hugging Face name or alias ({@code sentiment-analysis}, {@code
   * feature-extraction}, …) on the task's default model.
   *
   * @throws IllegalArgumentException listing the known tasks, if there is none of that name
   */
  public static Pipeline<?> pipeline(String task) {
    return create(PipelineConfig.builder(TaskRegistry.fromServiceLoader().get(task)).build());
  }

  /** A pipeline for a task by name on a model id or local directory. */
  public static Pipeline<?> pipeline(String task, String model) {
    return create(PipelineConfig.builder(TaskRegistry.fromServiceLoader().get(task)).model(model).build());
  }

  /**
   * A pipeline as a configuration describes it, typed by its task: {@code Pipelines.create(
   * PipelineConfig.builder(TextClassification.TASK).build())} is a {@code Pipeline<List<Label>>}.
   */
  public static <O> TaskPipeline<O> create(PipelineConfig<O> config) {
    return PipelineFactory.fromServiceLoader().create(config);
  }
}
