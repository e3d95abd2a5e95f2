package dev.jtransformers.pipelines;

import dev.jtransformers.api.Model;

/**
 * How a pipeline groups chunks into model calls and how many calls it runs at once; see {@link PipelineConfig}'s
 * {@code batchSize}, {@code maxBatchTokens}, {@code sortByLength} and {@code parallelBatches}.
 *
 * @param batchSize the most chunks per model call
 * @param maxBatchTokens the most tokens per model call, padding included (a longer chunk runs alone)
 * @param sortByLength whether to batch chunks of similar length together
 * @param parallelBatches how many model calls run at once, each on its own thread
 */
record BatchPolicy(int batchSize, int maxBatchTokens, boolean sortByLength, int parallelBatches) {

  /** The configuration's policy; batches side by side as many as it says, or as the model runs well at once. */
  static BatchPolicy of(PipelineConfig<?> config, Model model) {
    return new BatchPolicy(config.batchSize(), config.maxBatchTokens(), config.sortByLength(),
        config.parallelBatches().orElse(model.concurrentCalls()));
  }
}
