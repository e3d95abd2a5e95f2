package dev.jtransformers.tokenizer;

import java.util.Arrays;

/**
 * Text on its way through the pipeline: code points, each aligned to the part of the input Java string it came
 * from ({@code [start, end)} in UTF-16 units), as Hugging Face's {@code NormalizedString} keeps them. Offsets
 * survive every stage through this alignment: a {@link Normalizer} that rewrites, inserts or removes code points
 * gives each code point it appends the alignment of the source it came from.
 *
 * <p>Normalisers build new instances ({@link #NormalizedText(int)}, {@link #append}); a finished instance is only
 * read, and the stages never change the one they are given. Not thread-safe while being built.
 */
public final class NormalizedText {
  private static final int REPLACEMENT = 0xFFFD;

  private int[] codePoints;
  private int[] starts;
  private int[] ends;
  private int length;

  /** An empty text to {@link #append} to, with room for {@code capacity} code points before it grows. */
  public NormalizedText(int capacity) {
    int c = Math.max(capacity, 4);
    codePoints = new int[c];
    starts = new int[c];
    ends = new int[c];
  }

  /**
   * The text as the Rust tokenizer receives a Java string through JNI. A string with a lone surrogate fails
   * strict decoding there, so Rust decodes its modified UTF-8 bytes leniently instead: every UTF-16 unit of a
   * surrogate (paired or not) becomes three U+FFFD and U+0000 becomes two. Either way each code point stays
   * aligned to the UTF-16 units of {@code text} it came from.
   */
  public static NormalizedText of(String text) {
    return hasLoneSurrogate(text) ? lenient(text) : strict(text);
  }

  private static NormalizedText strict(String text) {
    int n = text.length();
    NormalizedText result = new NormalizedText(n);
    int i = 0;
    while (i < n) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)) {
        result.append(Character.toCodePoint(c, text.charAt(i + 1)), i, i + 2);
        i += 2;
      } else {
        result.append(c, i, i + 1);
        i++;
      }
    }
    return result;
  }

  private static NormalizedText lenient(String text) {
    int n = text.length();
    NormalizedText result = new NormalizedText(n * 3);
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      int copies = Character.isSurrogate(c) ? 3 : c == 0 ? 2 : 0;
      if (copies == 0) {
        result.append(c, i, i + 1);
      }
      for (int k = 0; k < copies; k++) {
        result.append(REPLACEMENT, i, i + 1);
      }
    }
    return result;
  }

  private static boolean hasLoneSurrogate(String text) {
    int n = text.length();
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
          i++;
        } else {
          return true;
        }
      }
    }
    return false;
  }

  /** Appends a code point aligned to {@code [start, end)} of the input string. */
  public void append(int codePoint, int start, int end) {
    if (length == codePoints.length) {
      int capacity = length * 2;
      codePoints = Arrays.copyOf(codePoints, capacity);
      starts = Arrays.copyOf(starts, capacity);
      ends = Arrays.copyOf(ends, capacity);
    }
    codePoints[length] = codePoint;
    starts[length] = start;
    ends[length] = end;
    length++;
  }

  /** Replaces the code point at {@code i}, keeping its alignment. */
  public void set(int i, int codePoint) {
    codePoints[i] = codePoint;
  }

  /** Replaces the alignment of the code point at {@code i}. */
  public void align(int i, int start, int end) {
    starts[i] = start;
    ends[i] = end;
  }

  /** The number of code points. */
  public int length() {
    return length;
  }

  /** The code point at {@code i}. */
  public int codePoint(int i) {
    return codePoints[i];
  }

  /** Where the input behind code point {@code i} starts, in UTF-16 units of the input string. */
  public int start(int i) {
    return starts[i];
  }

  /** Where the input behind code point {@code i} ends, in UTF-16 units of the input string. */
  public int end(int i) {
    return ends[i];
  }

  /** A copy of code points {@code [from, to)} with their alignments. */
  public NormalizedText slice(int from, int to) {
    NormalizedText slice = new NormalizedText(to - from);
    System.arraycopy(codePoints, from, slice.codePoints, 0, to - from);
    System.arraycopy(starts, from, slice.starts, 0, to - from);
    System.arraycopy(ends, from, slice.ends, 0, to - from);
    slice.length = to - from;
    return slice;
  }

  /** Code points {@code [from, to)} as a string. */
  public String text(int from, int to) {
    return new String(codePoints, from, to - from);
  }

  @Override
  public String toString() {
    return text(0, length);
  }
}
