package dev.jtransformers.pipelines.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.NullNode;

/**
 * How many scored results to return per input, best first, as Python's {@code top_k}: a number, or all of them
 * ({@code top_k=None}).
 *
 * @param k the number of results; 0 for all
 */
public record TopK(int k) {
  /** Every result. */
  public static final TopK ALL = new TopK(0);

  public TopK {
    if (k < 0) {
      throw new IllegalArgumentException("top_k must be positive, got " + k);
    }
  }

  /**
   * The {@code k} best.
   *
   * @throws IllegalArgumentException if {@code k} is not positive
   */
  public static TopK of(int k) {
    if (k <= 0) {
      throw new IllegalArgumentException("top_k must be positive, got " + k);
    }
    return new TopK(k);
  }

  /** Whether every result is returned. */
  public boolean all() {
    return k == 0;
  }

  /** How many of {@code available} results to return. */
  public int count(int available) {
    return all() ? available : Math.min(k, available);
  }

  /** Reads a positive number, or {@code all} / {@code null} for every result. */
  static TopK fromJson(JsonNode node) {
    if (node.isNull() || "all".equals(node.asText())) {
      return ALL;
    }
    if (node.isIntegralNumber() && node.canConvertToInt() && node.intValue() > 0) {
      return of(node.intValue());
    }
    throw new IllegalArgumentException("must be a positive number, all or null, got " + node);
  }

  /** A number, or {@code null} for all, as Python writes it. */
  static JsonNode toJson(TopK topK) {
    return topK.all() ? NullNode.getInstance() : IntNode.valueOf(topK.k);
  }

  @Override
  public String toString() {
    return all() ? "all" : Integer.toString(k);
  }
}
