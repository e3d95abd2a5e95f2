package dev.jtransformers.heads;

import dev.jtransformers.api.BatchEncoding;
import dev.jtransformers.api.Encoding;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Batches built from token ids and masks, as a tokenizer would pad them. */
public final class TestBatches {
  private TestBatches() {}

  /** The inputs padded with id 0 and attention 0 to the longest one. */
  public static BatchEncoding padded(List<int[]> inputs) {
    int length = inputs.stream().mapToInt(ids -> ids.length).max().orElse(0);
    List<Encoding> encodings = new ArrayList<>();
    for (int[] ids : inputs) {
      int[] mask = new int[length];
      Arrays.fill(mask, 0, ids.length, 1);
      encodings.add(encoding(Arrays.copyOf(ids, length), mask));
    }
    return BatchEncoding.of(encodings);
  }

  /** A batch with these attention masks (and arbitrary ids). */
  public static BatchEncoding withMasks(int[][] masks) {
    List<Encoding> encodings = new ArrayList<>();
    for (int[] mask : masks) {
      int[] ids = new int[mask.length];
      Arrays.setAll(ids, i -> mask[i] == 0 ? 0 : 1000 + i);
      encodings.add(encoding(ids, mask));
    }
    return BatchEncoding.of(encodings);
  }

  private static Encoding encoding(int[] ids, int[] mask) {
    int n = ids.length;
    String[] tokens = new String[n];
    Arrays.setAll(tokens, i -> "t" + ids[i]);
    int[] wordIds = new int[n];
    Arrays.fill(wordIds, Encoding.NO_WORD);
    return Encoding.of(ids, new int[n], tokens, new int[2 * n], new int[n], mask, wordIds, List.of());
  }
}
