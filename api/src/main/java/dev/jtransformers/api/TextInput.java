package dev.jtransformers.api;

import java.util.Objects;

/**
 * One input of a tokenizer or pipeline: a text, or a pair of texts ({@code text}, {@code text_pair}) as used by
 * sentence-pair tasks.
 *
 * @param text the first (or only) sequence; never {@code null}
 * @param textPair the second sequence, or {@code null} for a single sequence
 */
public record TextInput(String text, String textPair) {

  public TextInput {
    Objects.requireNonNull(text, "text");
  }

  /** A single sequence. */
  public static TextInput of(String text) {
    return new TextInput(text, null);
  }

  /** A pair of sequences; {@code textPair} must not be {@code null}. */
  public static TextInput pair(String text, String textPair) {
    return new TextInput(text, Objects.requireNonNull(textPair, "textPair"));
  }

  /** Whether this input has a second sequence. */
  public boolean isPair() {
    return textPair != null;
  }
}
