package dev.jtransformers.heads;

import java.util.Arrays;

/**
 * How token states {@code [sequence, hidden]} become one sentence vector {@code [hidden]}, computed exactly as
 * sentence-transformers computes it.
 */
public enum Pooling {
  /** Average of the attended tokens: {@code sum(states * mask) / max(sum(mask), 1e-9)}. */
  MEAN {
    @Override
    void pool(float[] states, int offset, int sequence, int hidden, long[] mask, float[] target) {
      double[] sum = new double[hidden];
      double count = 0;
      for (int s = 0; s < sequence; s++) {
        long weight = mask[s];
        count += weight;
        int row = offset + s * hidden;
        for (int h = 0; h < hidden; h++) {
          sum[h] += states[row + h] * weight;
        }
      }
      double divisor = Math.max(count, MIN_TOKEN_COUNT);
      for (int h = 0; h < hidden; h++) {
        target[h] = (float) (sum[h] / divisor);
      }
    }
  },
  /** The first token's state ({@code [CLS]} in BERT models), whatever the mask. */
  CLS {
    @Override
    void pool(float[] states, int offset, int sequence, int hidden, long[] mask, float[] target) {
      System.arraycopy(states, offset, target, 0, hidden);
    }
  },
  /** Per-dimension maximum over the attended tokens; padding counts as {@code -1e9}, as in sentence-transformers. */
  MAX {
    @Override
    void pool(float[] states, int offset, int sequence, int hidden, long[] mask, float[] target) {
      Arrays.fill(target, Float.NEGATIVE_INFINITY);
      for (int s = 0; s < sequence; s++) {
        int row = offset + s * hidden;
        for (int h = 0; h < hidden; h++) {
          float value = mask[s] == 0 ? MASKED_VALUE : states[row + h];
          target[h] = Math.max(target[h], value);
        }
      }
    }
  };

  private static final double MIN_TOKEN_COUNT = 1e-9;
  private static final float MASKED_VALUE = -1e9f;

  /**
   * Pools one input's token states.
   *
   * @param states row-major {@code [.., sequence, hidden]} states
   * @param offset where this input's {@code [sequence, hidden]} block starts in {@code states}
   * @param mask the input's attention mask, {@code sequence} entries
   * @param target receives the {@code hidden} pooled values
   */
  abstract void pool(float[] states, int offset, int sequence, int hidden, long[] mask, float[] target);

  /** The name configuration uses, e.g. {@code mean}. */
  public String configName() {
    return ConfigNames.of(this);
  }

  /**
   * The pooling configuration calls {@code name}.
   *
   * @throws IllegalArgumentException listing the valid names, if there is none of that name
   */
  public static Pooling fromConfigName(String name) {
    return ConfigNames.parse(Pooling.class, "pooling", name);
  }
}
