package dev.jtransformers.pipelines;

import dev.jtransformers.api.Pipeline;
import dev.jtransformers.api.Tokenizer;
import dev.jtransformers.pipelines.spi.Task;
import dev.jtransformers.pipelines.spi.TaskRequest;
import java.util.List;

/**
 * A {@link Pipeline} that also takes per-call parameters, as Python's {@code pipeline(inputs, **parameters)}: what
 * the CLI, a server or a Spark job run requests through, whatever the task. Thread-safe and meant to be shared, as
 * every {@link Pipeline} is.
 *
 * @param <O> the task's result for one input
 */
public interface TaskPipeline<O> extends Pipeline<O> {

  /** The task this pipeline does. */
  Task<O> task();

  /**
   * The results for many requests, in order, each with its own parameters put over the pipeline's options; the
   * requests are batched together as {@link #applyAll} batches inputs.
   */
  List<O> process(List<TaskRequest> requests);

  /** The tokenizer inputs are encoded with: what a server counts tokens and answers {@code /tokenize} with. */
  Tokenizer tokenizer();

  /** The most tokens per chunk; longer inputs are truncated, or rejected when truncation is off. */
  int maxLength();
}
