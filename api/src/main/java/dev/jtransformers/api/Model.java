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

  /** The names of the outputs {@link #forward} returns. */
  Set<String> outputNames();

  /** Releases the engine's native resources. */
  @Override
  void close();
}
