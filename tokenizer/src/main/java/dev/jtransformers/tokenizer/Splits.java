package dev.jtransformers.tokenizer.wordpiece;

import java.util.Arrays;

/**
 * A growable list of {@code [from, to)} ranges, each with an int tag, to pass splits between stages without
 * boxing.
 */
final class Ranges {
  /** The tag of a range that has none. */
  static final int UNTAGGED = -1;

  private int[] values = new int[3 * 8];
  private int size;

  void add(int from, int to) {
    add(from, to, UNTAGGED);
  }

  void add(int from, int to, int tag) {
    if (3 * size + 3 > values.length) {
      values = Arrays.copyOf(values, values.length * 2);
    }
    values[3 * size] = from;
    values[3 * size + 1] = to;
    values[3 * size + 2] = tag;
    size++;
  }

  int size() {
    return size;
  }

  int from(int i) {
    return values[3 * i];
  }

  int to(int i) {
    return values[3 * i + 1];
  }

  int tag(int i) {
    return values[3 * i + 2];
  }
}
