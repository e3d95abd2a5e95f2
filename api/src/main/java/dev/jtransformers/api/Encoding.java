package dev.jtransformers.api;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The tokenizer's output for one input (a text or a pair), after truncation, special tokens and padding.
 *
 * <p>All per-token arrays have {@link #length()} entries. Offsets are {@code [start, end)} indices into the
 * input Java {@code String} in UTF-16 code units (so {@code text.substring(start, end)} is the token's source
 * text); special and padding tokens have {@code [0, 0)}. For a pair, offsets of the second sequence index into
 * the second text, as in Hugging Face {@code tokenizers}.
 *
 * <p>Immutable: arrays are copied in and out.
 */
public final class Encoding {
  /** The word index of tokens that belong to no word (special and padding tokens). */
  public static final int NO_WORD = -1;

  private final int[] ids;
  private final int[] typeIds;
  private final String[] tokens;
  private final int[] offsets; // start, end interleaved
  private final int[] specialTokensMask;
  private final int[] attentionMask;
  private final int[] wordIds;
  private final List<Encoding> overflowing;

  private Encoding(
      int[] ids,
      int[] typeIds,
      String[] tokens,
      int[] offsets,
      int[] specialTokensMask,
      int[] attentionMask,
      int[] wordIds,
      List<Encoding> overflowing) {
    int n = ids.length;
    requireLength("typeIds", typeIds.length, n);
    requireLength("tokens", tokens.length, n);
    requireLength("offsets", offsets.length, 2 * n);
    requireLength("specialTokensMask", specialTokensMask.length, n);
    requireLength("attentionMask", attentionMask.length, n);
    requireLength("wordIds", wordIds.length, n);
    this.ids = ids;
    this.typeIds = typeIds;
    this.tokens = tokens;
    this.offsets = offsets;
    this.specialTokensMask = specialTokensMask;
    this.attentionMask = attentionMask;
    this.wordIds = wordIds;
    this.overflowing = List.copyOf(overflowing);
  }

  /**
   * Creates an encoding from per-token arrays, which are copied.
   *
   * @param offsets {@code 2 * ids.length} values: start and end of each token, interleaved
   * @param wordIds word index of each token, {@link #NO_WORD} for none
   * @param overflowing the encodings of the windows cut off by truncation, possibly empty
   * @throws IllegalArgumentException if the arrays' lengths disagree
   */
  public static Encoding of(
      int[] ids,
      int[] typeIds,
      String[] tokens,
      int[] offsets,
      int[] specialTokensMask,
      int[] attentionMask,
      int[] wordIds,
      List<Encoding> overflowing) {
    return new Encoding(
        ids.clone(),
        typeIds.clone(),
        tokens.clone(),
        offsets.clone(),
        specialTokensMask.clone(),
        attentionMask.clone(),
        wordIds.clone(),
        Objects.requireNonNull(overflowing, "overflowing"));
  }

  private static void requireLength(String name, int actual, int expected) {
    if (actual != expected) {
      throw new IllegalArgumentException(name + " has " + actual + " entries, expected " + expected);
    }
  }

  /** Number of tokens, padding included. */
  public int length() {
    return ids.length;
  }

  /** Token ids ({@code input_ids}). */
  public int[] ids() {
    return ids.clone();
  }

  /** The id at position {@code i}, without copying the array. */
  public int id(int i) {
    return ids[i];
  }

  /** Segment ids ({@code token_type_ids}): 0 for the first sequence, 1 for the second. */
  public int[] typeIds() {
    return typeIds.clone();
  }

  /** Token strings, e.g. {@code [CLS]}, {@code hugging}, {@code ##face}. */
  public List<String> tokens() {
    return List.of(tokens);
  }

  /** Offsets as {@code length() x 2} array of {@code [start, end)} UTF-16 indices. */
  public int[][] offsets() {
    int[][] result = new int[ids.length][];
    for (int i = 0; i < ids.length; i++) {
      result[i] = new int[] {offsets[2 * i], offsets[2 * i + 1]};
    }
    return result;
  }

  /** 1 for special tokens ({@code [CLS]}, {@code [SEP]}, padding), 0 for tokens of the text. */
  public int[] specialTokensMask() {
    return specialTokensMask.clone();
  }

  /** 1 for real tokens, 0 for padding. */
  public int[] attentionMask() {
    return attentionMask.clone();
  }

  /** The index of the word each token comes from, {@link #NO_WORD} for special and padding tokens. */
  public int[] wordIds() {
    return wordIds.clone();
  }

  /** Windows cut off by truncation (with the requested stride), each a complete encoding; empty if none. */
  public List<Encoding> overflowing() {
    return overflowing;
  }

  // Package-private, copy-free access for BatchEncoding.
  int typeId(int i) {
    return typeIds[i];
  }

  int attention(int i) {
    return attentionMask[i];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Encoding e
        && Arrays.equals(ids, e.ids)
        && Arrays.equals(typeIds, e.typeIds)
        && Arrays.equals(tokens, e.tokens)
        && Arrays.equals(offsets, e.offsets)
        && Arrays.equals(specialTokensMask, e.specialTokensMask)
        && Arrays.equals(attentionMask, e.attentionMask)
        && Arrays.equals(wordIds, e.wordIds)
        && overflowing.equals(e.overflowing);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(ids) * 31 + Arrays.hashCode(attentionMask);
  }

  @Override
  public String toString() {
    return "Encoding" + Arrays.toString(tokens);
  }
}
