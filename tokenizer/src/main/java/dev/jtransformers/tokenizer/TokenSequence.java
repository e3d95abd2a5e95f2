package dev.jtransformers.tokenizer;

import dev.jtransformers.api.EncodeOptions.Side;
import dev.jtransformers.api.Encoding;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The tokens of one sequence or pair while they are being built, each with its id, string, offsets in the input,
 * word index, type id and special/attention flags: Hugging Face's {@code Encoding}, with its truncation, merging
 * and padding rules, which decide what overflowing windows look like. A {@link TokenizerModel} appends to it, a
 * {@link PostProcessor} joins and wraps sequences; truncation and padding are the tokenizer's.
 *
 * <p>Mutable and confined to one encode call; {@link #toEncoding()} makes the immutable public form.
 */
public final class TokenSequence {
  private int[] ids;
  private String[] tokens;
  private int[] offsets; // start, end interleaved
  private int[] wordIds;
  private int[] typeIds;
  private int[] specialTokensMask;
  private int[] attentionMask;
  private int length;
  private List<TokenSequence> overflowing = List.of();

  /** An empty sequence with room for {@code capacity} tokens before it grows. */
  public TokenSequence(int capacity) {
    int c = Math.max(capacity, 4);
    ids = new int[c];
    tokens = new String[c];
    offsets = new int[2 * c];
    wordIds = new int[c];
    typeIds = new int[c];
    specialTokensMask = new int[c];
    attentionMask = new int[c];
  }

  /** Special tokens, as a post-processor adds them: no word, offsets {@code (0, 0)}, marked special. */
  public static TokenSequence special(int[] ids, String[] tokens, int typeId) {
    TokenSequence s = new TokenSequence(ids.length);
    for (int i = 0; i < ids.length; i++) {
      s.add(ids[i], tokens[i], 0, 0, Encoding.NO_WORD, typeId, 1, 1);
    }
    return s;
  }

  /** A sequence holding an encoding's tokens and overflow windows, to pad it further. */
  static TokenSequence of(Encoding encoding) {
    int[] ids = encoding.ids();
    List<String> tokens = encoding.tokens();
    int[][] offsets = encoding.offsets();
    int[] words = encoding.wordIds();
    int[] types = encoding.typeIds();
    int[] special = encoding.specialTokensMask();
    int[] attention = encoding.attentionMask();
    TokenSequence s = new TokenSequence(ids.length);
    for (int i = 0; i < ids.length; i++) {
      s.add(ids[i], tokens.get(i), offsets[i][0], offsets[i][1], words[i], types[i], special[i], attention[i]);
    }
    List<TokenSequence> windows = new ArrayList<>(encoding.overflowing().size());
    for (Encoding window : encoding.overflowing()) {
      windows.add(of(window));
    }
    s.overflowing = windows;
    return s;
  }

  /**
   * Appends a token of the text, type id 0, not special.
   *
   * @param start where its source starts, in UTF-16 units of the input string
   * @param end where its source ends (exclusive)
   */
  public void add(int id, String token, int start, int end, int wordId) {
    add(id, token, start, end, wordId, 0, 0, 1);
  }

  private void add(int id, String token, int start, int end, int wordId, int typeId, int special, int attention) {
    if (length == ids.length) {
      grow(length * 2);
    }
    ids[length] = id;
    tokens[length] = token;
    offsets[2 * length] = start;
    offsets[2 * length + 1] = end;
    wordIds[length] = wordId;
    typeIds[length] = typeId;
    specialTokensMask[length] = special;
    attentionMask[length] = attention;
    length++;
  }

  private void grow(int capacity) {
    ids = Arrays.copyOf(ids, capacity);
    tokens = Arrays.copyOf(tokens, capacity);
    offsets = Arrays.copyOf(offsets, 2 * capacity);
    wordIds = Arrays.copyOf(wordIds, capacity);
    typeIds = Arrays.copyOf(typeIds, capacity);
    specialTokensMask = Arrays.copyOf(specialTokensMask, capacity);
    attentionMask = Arrays.copyOf(attentionMask, capacity);
  }

  /** The number of tokens, overflowing windows not counted. */
  public int length() {
    return length;
  }

  /** Drops the tokens from {@code newLength} on (a word that turns out to be unknown). */
  public void shrink(int newLength) {
    length = newLength;
  }

  /** Gives every token (not the overflowing windows, as in Hugging Face) one type id. */
  public void setTypeIds(int typeId) {
    Arrays.fill(typeIds, 0, length, typeId);
  }

  /** The windows truncation cut off, in order. */
  public List<TokenSequence> overflowing() {
    return overflowing;
  }

  /** Replaces the overflowing windows. */
  public void setOverflowing(List<TokenSequence> windows) {
    overflowing = List.copyOf(windows);
  }

  /** A copy of the tokens alone. */
  public TokenSequence withoutOverflowing() {
    return slice(0, length);
  }

  private TokenSequence slice(int from, int to) {
    TokenSequence s = new TokenSequence(to - from);
    System.arraycopy(ids, from, s.ids, 0, to - from);
    System.arraycopy(tokens, from, s.tokens, 0, to - from);
    System.arraycopy(offsets, 2 * from, s.offsets, 0, 2 * (to - from));
    System.arraycopy(wordIds, from, s.wordIds, 0, to - from);
    System.arraycopy(typeIds, from, s.typeIds, 0, to - from);
    System.arraycopy(specialTokensMask, from, s.specialTokensMask, 0, to - from);
    System.arraycopy(attentionMask, from, s.attentionMask, 0, to - from);
    s.length = to - from;
    return s;
  }

  private TokenSequence copy() {
    TokenSequence c = slice(0, length);
    c.overflowing = overflowing;
    return c;
  }

  /**
   * Keeps the first window of at most {@code maxLength} tokens (the last one when truncating on the left) and
   * makes the following windows, which overlap by {@code stride} tokens, the overflowing ones.
   *
   * @throws IllegalArgumentException if a window would not move forward ({@code stride >= maxLength})
   */
  void truncate(int maxLength, int stride, Side side) {
    if (maxLength >= length) {
      return;
    }
    if (maxLength == 0) {
      TokenSequence all = copy();
      length = 0;
      overflowing = List.of(all);
      return;
    }
    if (stride >= maxLength) {
      throw new IllegalArgumentException(
          "stride " + stride + " must be less than the " + maxLength + " tokens left to a truncated sequence"
              + " (max length minus the special tokens, shared between the texts of a pair)");
    }
    int step = maxLength - stride;
    List<TokenSequence> windows = new ArrayList<>();
    if (side == Side.RIGHT) {
      for (int start = 0; ; start += step) {
        int stop = Math.min(start + maxLength, length);
        windows.add(slice(start, stop));
        if (stop == length) {
          break;
        }
      }
    } else {
      for (int stop = length; stop > 0; stop -= step) {
        int start = Math.max(stop - maxLength, 0);
        windows.add(slice(start, stop));
        if (start == 0) {
          break;
        }
      }
    }
    TokenSequence first = windows.get(0);
    replaceWith(first);
    overflowing = List.copyOf(windows.subList(1, windows.size()));
  }

  private void replaceWith(TokenSequence other) {
    ids = other.ids;
    tokens = other.tokens;
    offsets = other.offsets;
    wordIds = other.wordIds;
    typeIds = other.typeIds;
    specialTokensMask = other.specialTokensMask;
    attentionMask = other.attentionMask;
    length = other.length;
  }

  /**
   * This sequence followed by {@code next}, with Hugging Face's combinations of their overflowing windows: each
   * of ours with {@code next} and with each of its windows, then ourselves with each of its windows.
   */
  public TokenSequence merge(TokenSequence next) {
    List<TokenSequence> combined = new ArrayList<>();
    for (TokenSequence mine : overflowing) {
      combined.add(mine.merge(next));
      for (TokenSequence theirs : next.overflowing) {
        combined.add(mine.merge(theirs));
      }
    }
    for (TokenSequence theirs : next.overflowing) {
      combined.add(merge(theirs));
    }
    TokenSequence merged = new TokenSequence(length + next.length);
    merged.append(this);
    merged.append(next);
    merged.overflowing = List.copyOf(combined);
    return merged;
  }

  private void append(TokenSequence other) {
    if (length + other.length > ids.length) {
      grow(length + other.length);
    }
    System.arraycopy(other.ids, 0, ids, length, other.length);
    System.arraycopy(other.tokens, 0, tokens, length, other.length);
    System.arraycopy(other.offsets, 0, offsets, 2 * length, 2 * other.length);
    System.arraycopy(other.wordIds, 0, wordIds, length, other.length);
    System.arraycopy(other.typeIds, 0, typeIds, length, other.length);
    System.arraycopy(other.specialTokensMask, 0, specialTokensMask, length, other.length);
    System.arraycopy(other.attentionMask, 0, attentionMask, length, other.length);
    length += other.length;
  }

  /** Pads this sequence and its overflowing windows up to {@code targetLength}; longer ones stay as they are. */
  void pad(int targetLength, int padId, int padTypeId, String padToken, Side side) {
    for (TokenSequence o : overflowing) {
      o.pad(targetLength, padId, padTypeId, padToken, side);
    }
    if (length >= targetLength) {
      return;
    }
    int count = targetLength - length;
    TokenSequence padded = new TokenSequence(targetLength);
    TokenSequence padding = new TokenSequence(count);
    for (int i = 0; i < count; i++) {
      padding.add(padId, padToken, 0, 0, Encoding.NO_WORD, padTypeId, 1, 0);
    }
    if (side == Side.LEFT) {
      padded.append(padding);
      padded.append(this);
    } else {
      padded.append(this);
      padded.append(padding);
    }
    replaceWith(padded);
  }

  /** The immutable public form, overflowing windows included. */
  public Encoding toEncoding() {
    List<Encoding> windows = new ArrayList<>(overflowing.size());
    for (TokenSequence o : overflowing) {
      windows.add(o.toEncoding());
    }
    return Encoding.of(
        Arrays.copyOf(ids, length),
        Arrays.copyOf(typeIds, length),
        Arrays.copyOf(tokens, length),
        Arrays.copyOf(offsets, 2 * length),
        Arrays.copyOf(specialTokensMask, length),
        Arrays.copyOf(attentionMask, length),
        Arrays.copyOf(wordIds, length),
        windows);
  }
}
