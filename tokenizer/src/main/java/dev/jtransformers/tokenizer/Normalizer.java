package dev.jtransformers.tokenizer;

/**
 * The first stage: rewrites text (case, accents, control characters…) keeping every code point aligned to the
 * input, like a {@code normalizer} of Hugging Face {@code tokenizers}. Chosen by the {@code "type"} of the
 * {@code "normalizer"} section of {@code tokenizer.json} through a {@link ComponentFactory}.
 *
 * <p>Implementations are immutable and thread-safe.
 */
public interface Normalizer {
  /** The normalised form of {@code text}, which is left unchanged; every code point aligned to its source. */
  NormalizedText normalize(NormalizedText text);
}
