package dev.jtransformers.tokenizer;

import java.util.Arrays;

/**
 * Pre-token splits: a growable list of {@code [from, to)} ranges of code points of a {@link NormalizedText}, whose
 * alignment gives each split its offsets in the input. Passes splits between stages without boxing or substrings.
 *
 * <p>Mutable, confined to one encode call.
 */
public final class Splits {
  /** The tag of a range that is no added token. */
  static final int UNTAGGED = -1;

  private int[] values = new int[3 * 8]; // from, to, tag per range
  private int size;

  /** Appends the range {@code [from, to)}. */
  public void add(int from, int to) {
    add(from, to, UNTAGGED);
  }

  /** Appends a range with the id of the added token it matched, or {@link #UNTAGGED}. */
  void add(int from, int to, int tag) {
    if (3 * size + 3 > values.length) {
      values = Arrays.copyOf(values, values.length * 2);
    }
    values[3 * size] = from;
    values[3 * size + 1] = to;
    values[3 * size + 2] = tag;
    size++;
  }

  /** The number of ranges. */
  public int size() {
    return size;
  }

  /** Where range {@code i} starts, a code point index of the text. */
  public int from(int i) {
    return values[3 * i];
  }

  /** Where range {@code i} ends (exclusive), a code point index of the text. */
  public int to(int i) {
    return values[3 * i + 1];
  }

  int tag(int i) {
    return values[3 * i + 2];
  }
}
