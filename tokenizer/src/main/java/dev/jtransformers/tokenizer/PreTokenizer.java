package dev.jtransformers.tokenizer;

/**
 * The second stage: splits normalised text into words, which the model then cuts into tokens, like a
 * {@code pre_tokenizer} of Hugging Face {@code tokenizers} (only splitting ones: a pre-tokenizer never rewrites
 * text here). Chosen by the {@code "type"} of the {@code "pre_tokenizer"} section through a
 * {@link ComponentFactory}.
 *
 * <p>Implementations are immutable and thread-safe.
 */
public interface PreTokenizer {
  /** Appends the words of {@code text[from, to)} to {@code words}, in order, each a non-empty range. */
  void split(NormalizedText text, int from, int to, Splits words);
}
