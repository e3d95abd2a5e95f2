package dev.jtransformers.api;

import java.util.List;

/**
 * Text in, task result out: tokenizer, model, head and post-processor run as one, with batching.
 *
 * <p>Thread-safe, and meant to be shared: build one per model and call it from any number of threads; each call's
 * results equal those of the same call on one thread (the backends' conformance kit checks this under eight
 * threads). Closing releases the model: it lets calls in progress finish, and later calls throw {@link
 * IllegalStateException}; closing twice is harmless.
 *
 * @param <O> the result for one input, e.g. {@code List<Label>} for classification
 */
public interface Pipeline<O> extends AutoCloseable {

  /** The result for one input. */
  O apply(TextInput input);

  /** The result for one text. */
  default O apply(String text) {
    return apply(TextInput.of(text));
  }

  /** The results for many inputs, in input order; batched as the pipeline is configured. */
  List<O> applyAll(List<TextInput> inputs);

  @Override
  void close();
}
