package dev.jtransformers.api;

import java.util.List;

/**
 * A batch of encodings of equal length (padded), as models consume it: {@code input_ids},
 * {@code attention_mask} and {@code token_type_ids} as {@code [batch, sequence]} matrices.
 *
 * <p>Immutable; the matrix accessors return fresh arrays.
 */
public final class BatchEncoding {
  private final List<Encoding> encodings;
  private final int sequenceLength;

  private BatchEncoding(List<Encoding> encodings) {
    if (encodings.isEmpty()) {
      throw new IllegalArgumentException("a batch needs at least one encoding");
    }
    this.sequenceLength = encodings.get(0).length();
    for (int i = 1; i < encodings.size(); i++) {
      if (encodings.get(i).length() != sequenceLength) {
        throw new IllegalArgumentException(
            "encodings of a batch must be padded to one length: encoding 0 has "
                + sequenceLength
                + " tokens, encoding "
                + i
                + " has "
                + encodings.get(i).length());
      }
    }
    this.encodings = encodings;
  }

  /**
   * Stacks padded encodings into a batch.
   *
   * @throws IllegalArgumentException if the list is empty or the encodings differ in length
   */
  public static BatchEncoding of(List<Encoding> encodings) {
    return new BatchEncoding(List.copyOf(encodings));
  }

  /** Number of inputs in the batch. */
  public int size() {
    return encodings.size();
  }

  /** Tokens per input, padding included. */
  public int sequenceLength() {
    return sequenceLength;
  }

  /** The encodings, in batch order. */
  public List<Encoding> encodings() {
    return encodings;
  }

  /** The encoding of input {@code i}. */
  public Encoding get(int i) {
    return encodings.get(i);
  }

  /** {@code input_ids} as {@code [batch, sequence]}. */
  public long[][] inputIds() {
    return matrix(Encoding::id);
  }

  /** {@code attention_mask} as {@code [batch, sequence]}: 1 for tokens, 0 for padding. */
  public long[][] attentionMask() {
    return matrix(Encoding::attention);
  }

  /** {@code token_type_ids} as {@code [batch, sequence]}. */
  public long[][] tokenTypeIds() {
    return matrix(Encoding::typeId);
  }

  /** Reads one per-token value of an encoding without copying its arrays. */
  private interface TokenValue {
    int at(Encoding encoding, int position);
  }

  private long[][] matrix(TokenValue value) {
    long[][] m = new long[size()][sequenceLength];
    for (int b = 0; b < m.length; b++) {
      Encoding e = encodings.get(b);
      for (int s = 0; s < sequenceLength; s++) {
        m[b][s] = value.at(e, s);
      }
    }
    return m;
  }
}
