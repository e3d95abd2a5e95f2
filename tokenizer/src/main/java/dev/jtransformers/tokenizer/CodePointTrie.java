package dev.jtransformers.tokenizer;

import java.util.Arrays;

/**
 * A trie over code points, for longest-prefix lookups straight on {@link NormalizedText} without building
 * substrings, for models and added tokens alike. The edges live in one open-addressing hash table keyed by (node, code point). Immutable once built.
 */
public final class CodePointTrie {
  /** The node of the empty string. */
  public static final int ROOT = 0;
  /** What {@link #child} answers when there is no such edge. */
  public static final int NONE = -1;

  private final long[] edgeKeys; // (node << 21 | code point) + 1; 0 marks a free slot
  private final int[] edgeTargets;
  private final int[] values; // per node; NONE if no key ends there
  private final int mask;

  private CodePointTrie(long[] edgeKeys, int[] edgeTargets, int[] values) {
    this.edgeKeys = edgeKeys;
    this.edgeTargets = edgeTargets;
    this.values = values;
    this.mask = edgeKeys.length - 1;
  }

  /** Builds a trie holding {@code keys[i]} with value {@code i}; on duplicate keys the first one wins. */
  public static CodePointTrie of(String[] keys) {
    int totalCodePoints = 0;
    for (String key : keys) {
      totalCodePoints += key.codePointCount(0, key.length());
    }
    int capacity = Integer.highestOneBit(Math.max(16, totalCodePoints * 2)) << 1;
    long[] edgeKeys = new long[capacity];
    int[] edgeTargets = new int[capacity];
    int[] values = new int[totalCodePoints + 1];
    Arrays.fill(values, NONE);
    int nodes = 1;
    for (int k = 0; k < keys.length; k++) {
      int node = ROOT;
      String key = keys[k];
      for (int i = 0; i < key.length(); ) {
        int cp = key.codePointAt(i);
        i += Character.charCount(cp);
        long edge = edgeKey(node, cp);
        int slot = slot(edge, capacity - 1);
        while (edgeKeys[slot] != 0 && edgeKeys[slot] != edge) {
          slot = (slot + 1) & (capacity - 1);
        }
        if (edgeKeys[slot] == 0) {
          edgeKeys[slot] = edge;
          edgeTargets[slot] = nodes++;
        }
        node = edgeTargets[slot];
      }
      if (values[node] == NONE) {
        values[node] = k;
      }
    }
    return new CodePointTrie(edgeKeys, edgeTargets, Arrays.copyOf(values, nodes));
  }

  private static long edgeKey(int node, int cp) {
    return (((long) node << 21) | cp) + 1;
  }

  private static int slot(long key, int mask) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32)) & mask;
  }

  /** The node reached from {@code node} by {@code cp}, or {@link #NONE}. */
  public int child(int node, int cp) {
    long edge = edgeKey(node, cp);
    int slot = slot(edge, mask);
    long key;
    while ((key = edgeKeys[slot]) != 0) {
      if (key == edge) {
        return edgeTargets[slot];
      }
      slot = (slot + 1) & mask;
    }
    return NONE;
  }

  /** The node of a whole string, or {@link #NONE}. */
  public int walk(int node, String text) {
    int n = node;
    for (int i = 0; i < text.length() && n != NONE; ) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      n = child(n, cp);
    }
    return n;
  }

  /** The index of the key that ends at {@code node}, or {@link #NONE}. */
  public int value(int node) {
    return values[node];
  }
}
