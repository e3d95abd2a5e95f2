package dev.jtransformers.tokenizer.wordpiece;

/**
 * The second stage: splits normalised text into words, like a {@code pre_tokenizer} of Hugging Face
 * {@code tokenizers} (only splitting ones: the BERT family's pre-tokenisers never rewrite text). Implementations
 * are immutable.
 */
interface PreTokenizer {
  /** Appends the words of {@code text[from, to)} to {@code words}, in order, each a non-empty range. */
  void split(NormalizedText text, int from, int to, Ranges words);
}
