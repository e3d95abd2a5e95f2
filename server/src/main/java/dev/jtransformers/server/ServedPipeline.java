package dev.jtransformers.server;

import dev.jtransformers.api.EncodeOptions;
import dev.jtransformers.api.Encoding;
import dev.jtransformers.api.TextInput;
import dev.jtransformers.pipelines.PipelineConfig;
import dev.jtransformers.pipelines.TaskPipeline;
import dev.jtransformers.pipelines.spi.Task;
import dev.jtransformers.pipelines.spi.TaskRequest;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A pipeline as the server serves it: its name, configuration, and the batcher its requests go through.
 *
 * @param <O> the task's result for one input
 */
final class ServedPipeline<O> implements AutoCloseable {
  private final String name;
  private final PipelineConfig<O> config;
  private final TaskPipeline<O> pipeline;
  private final DynamicBatcher<O> batcher;

  ServedPipeline(String name, PipelineConfig<O> config, TaskPipeline<O> pipeline, BatchingSettings batching,
      ServerMetrics metrics) {
    this.name = name;
    this.config = config;
    this.pipeline = pipeline;
    this.batcher = new DynamicBatcher<>(name, pipeline, batching, metrics);
  }

  String name() {
    return name;
  }

  PipelineConfig<O> config() {
    return config;
  }

  Task<O> task() {
    return pipeline.task();
  }

  int maxLength() {
    return pipeline.maxLength();
  }

  /** The input's tokens with special tokens, before truncation. */
  Encoding encode(TextInput input, boolean addSpecialTokens) {
    return pipeline.tokenizer().encode(input, EncodeOptions.builder().addSpecialTokens(addSpecialTokens).build());
  }

  /** The tokens an input costs in a batch: its length, capped at the model's limit as truncation would. */
  int cost(TextInput input) {
    return Math.min(encode(input, true).length(), pipeline.maxLength());
  }

  /**
   * The results of one request's inputs, batched with other requests'.
   *
   * @throws ApiException 429 if the queue is full, 503 if the server is shutting down
   */
  CompletableFuture<List<O>> submit(List<TaskRequest> requests) {
    int tokens = 0;
    for (TaskRequest request : requests) {
      tokens += cost(request.input());
    }
    return batcher.submit(requests, tokens);
  }

  /** Answers the accepted requests, then frees the model. */
  @Override
  public void close() throws InterruptedException {
    try {
      batcher.close();
    } finally {
      pipeline.close();
    }
  }
}
