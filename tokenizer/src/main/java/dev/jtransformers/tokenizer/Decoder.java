package dev.jtransformers.tokenizer.wordpiece;

import java.util.List;

/** Turns tokens back into text, like a {@code decoder} of Hugging Face {@code tokenizers}. Immutable. */
interface Decoder {
  String decode(List<String> tokens);

  /** What Hugging Face does without a decoder: the tokens joined by spaces. */
  Decoder NONE = tokens -> String.join(" ", tokens);
}
