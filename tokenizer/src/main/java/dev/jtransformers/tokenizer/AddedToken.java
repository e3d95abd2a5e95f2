package dev.jtransformers.tokenizer.wordpiece;

import java.util.Objects;

/**
 * A token matched in the raw text before the model sees it, as in the {@code added_tokens} of a
 * {@code tokenizer.json} ({@code [CLS]}, {@code [SEP]}, {@code [MASK]}…).
 *
 * @param singleWord match only when not next to a word character ({@code \w})
 * @param lstrip take the whitespace on its left into the match
 * @param rstrip take the whitespace on its right into the match
 * @param normalized match the normalised text against the normalised content, rather than the raw text
 * @param special a special token, which decoding can skip
 */
record AddedToken(
    int id, String content, boolean singleWord, boolean lstrip, boolean rstrip, boolean normalized, boolean special) {
  AddedToken {
    Objects.requireNonNull(content, "content");
  }

  /** A special token as Hugging Face adds them by default: not normalised, no stripping. */
  static AddedToken special(int id, String content) {
    return new AddedToken(id, content, false, false, false, false, true);
  }
}
