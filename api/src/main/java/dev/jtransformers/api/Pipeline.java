package dev.jtransformers.api;

import java.util.List;

/**
 * Text in, task result out: tokenizer, model, head and post-processor run as one, with batching. Thread-safe;
 * closing releases the model.
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
