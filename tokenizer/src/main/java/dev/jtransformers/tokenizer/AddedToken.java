package dev.jtransformers.tokenizer;

import java.util.Objects;

/**
 * A token matched in the raw text before the model sees it, as in the {@code added_tokens} of a
 * {@code tokenizer.json} ({@code [CLS]}, {@code [SEP]}, {@code [MASK]}…). Immutable.
 *
 * @param singleWord match only when not next to a word character ({@code \w})
 * @param lstrip take the whitespace on its left into the match
 * @param rstrip take the whitespace on its right into the match
 * @param normalized match the normalised text against the normalised content, rather than the raw text
 * @param special a special token, which decoding can skip
 */
public record AddedToken(
    int id, String content, boolean singleWord, boolean lstrip, boolean rstrip, boolean normalized, boolean special) {
  public AddedToken {
    Objects.requireNonNull(content, "content");
  }
}
