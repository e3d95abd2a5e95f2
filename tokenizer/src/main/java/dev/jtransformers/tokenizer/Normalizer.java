package dev.jtransformers.tokenizer.wordpiece;

/**
 * The first stage: rewrites text (case, accents, control characters…) keeping every code point aligned to the
 * input, like a {@code normalizer} of Hugging Face {@code tokenizers}. Implementations are immutable.
 */
interface Normalizer {
  /** The normalised form of {@code text}, which is left unchanged. */
  NormalizedText normalize(NormalizedText text);
}
