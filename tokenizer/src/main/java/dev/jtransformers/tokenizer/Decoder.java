package dev.jtransformers.tokenizer;

import java.util.List;

/**
 * The last stage: turns tokens back into text, like a {@code decoder} of Hugging Face {@code tokenizers}. Chosen by
 * the {@code "type"} of the {@code "decoder"} section through a {@link ComponentFactory}.
 *
 * <p>Implementations are immutable and thread-safe.
 */
public interface Decoder {
  /** The text of {@code tokens}. */
  String decode(List<String> tokens);

  /** What Hugging Face does without a decoder: the tokens joined by spaces. */
  Decoder NONE = tokens -> String.join(" ", tokens);

  /**
   * Python {@code transformers}' {@code clean_up_tokenization}: no space before {@code . ? ! ,} nor inside the
   * usual English contractions. Tokenizers apply it to decoded text when asked; decoders may build on it.
   */
  static String cleanUpTokenization(String text) {
    return text.replace(" .", ".")
        .replace(" ?", "?")
        .replace(" !", "!")
        .replace(" ,", ",")
        .replace(" ' ", "'")
        .replace(" n't", "n't")
        .replace(" 'm", "'m")
        .replace(" 's", "'s")
        .replace(" 've", "'ve")
        .replace(" 're", "'re");
  }
}
