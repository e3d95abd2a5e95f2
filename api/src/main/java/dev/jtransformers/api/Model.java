package dev.jtransformers.api;

import java.util.Set;

/**
 * A loaded network, bound to an engine and a device. Thread-safe: one model serves concurrent callers. Holds
 * native resources until {@link #close()}; closing twice is harmless, use after close throws {@link
 * IllegalStateException}.
 */
public interface Model extends AutoCloseable {

  /**
   * Runs the network on a batch.
   *
   * @return the named outputs ({@link ModelOutput#LAST_HIDDEN_STATE}, {@link ModelOutput#LOGITS}, ...)
   * @throws BackendException if the engine fails
   */
  ModelOutput forward(BatchEncoding batch);

  /**
   * Runs the network on a batch, returning at least the named outputs: an engine may leave the others out, sparing
   * their copy out of native memory (a masked language model's logits are {@code [batch, sequence, vocabulary]}). The
   * default returns all of {@link #forward(BatchEncoding)}.
   *
   * @param outputs the outputs the caller reads (e.g. a {@link dev.jtransformers.spi.Head#requiredOutputs()}); empty
   *     for all of them
   * @throws BackendException if the engine fails
   */
  default ModelOutput forward(BatchEncoding batch, Set<String> outputs) {
    return forward(batch);
  }

  /**
   * How many {@link #forward} calls this model runs to best effect at once, sharing the engine's threads: a pipeline
   * runs that many of a call's batches side by side unless its configuration says otherwise. The default, 1, suits
   * an engine whose concurrent calls would compete for the same threads or device.
   */
  default int concurrentCalls() {
    return 1;
  }

  /** The names of the outputs {@link #forward} returns. */
  Set<String> outputNames();

  /** Releases the engine's native resources. */
  @Override
  void close();
}
