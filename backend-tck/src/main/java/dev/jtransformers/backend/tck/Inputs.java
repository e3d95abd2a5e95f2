package dev.jtransformers.backend.tck;

import dev.jtransformers.api.BatchEncoding;
import dev.jtransformers.api.Encoding;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Builds model inputs straight from token ids, as a tokenizer would have produced them: no tokenizer needed. Only
 * what models read is meaningful (ids, attention mask, token types); tokens and offsets are placeholders. Public for
 * a backend's own tests beyond the kit.
 */
public final class Inputs {
  /** {@code [PAD]} in the BERT vocabularies. */
  static final int PAD = 0;

  private Inputs() {}

  /** A batch of one input. */
  public static BatchEncoding single(int[] ids, int[] typeIds) {
    return batch(List.of(ids), List.of(typeIds));
  }

  /** A batch padded on the right to its longest input, as Hugging Face pads. */
  public static BatchEncoding batch(List<int[]> ids, List<int[]> typeIds) {
    int length = ids.stream().mapToInt(a -> a.length).max().orElseThrow();
    List<Encoding> encodings = new ArrayList<>();
    for (int i = 0; i < ids.size(); i++) {
      encodings.add(padded(ids.get(i), typeIds.get(i), length));
    }
    return BatchEncoding.of(encodings);
  }

  private static Encoding padded(int[] ids, int[] typeIds, int length) {
    int real = ids.length;
    int[] paddedIds = Arrays.copyOf(ids, length);
    Arrays.fill(paddedIds, real, length, PAD);
    int[] attention = new int[length];
    Arrays.fill(attention, 0, real, 1);
    int[] special = new int[length];
    Arrays.fill(special, real, length, 1);
    int[] words = new int[length];
    Arrays.fill(words, Encoding.NO_WORD);
    String[] tokens = new String[length];
    Arrays.fill(tokens, "");
    return Encoding.of(
        paddedIds, Arrays.copyOf(typeIds, length), tokens, new int[2 * length], special, attention, words, List.of());
  }
}
