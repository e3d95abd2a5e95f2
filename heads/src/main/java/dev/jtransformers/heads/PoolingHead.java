package dev.jtransformers.heads;

import dev.jtransformers.api.BatchEncoding;
import dev.jtransformers.api.ModelOutput;
import dev.jtransformers.api.Tensor;
import dev.jtransformers.models.Pooling;
import dev.jtransformers.spi.Head;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Sentence vectors {@code [batch, hidden]} from {@code last_hidden_state} {@code [batch, sequence, hidden]} and the
 * batch's attention mask, optionally L2-normalised as {@code torch.nn.functional.normalize} does: {@code x /
 * max(||x||, 1e-12)}.
 *
 * @param pooling how token states are combined
 * @param normalize whether each vector is scaled to unit length
 */
public record PoolingHead(Pooling pooling, boolean normalize) implements Head {
  /** The modes computed here; sentence-transformers has more. */
  public static final Set<Pooling> SUPPORTED = Collections.unmodifiableSet(EnumSet.of(Pooling.MEAN, Pooling.CLS,
      Pooling.MAX));

  private static final double MIN_NORM = 1e-12;
  private static final double MIN_TOKEN_COUNT = 1e-9;
  private static final float MASKED_VALUE = -1e9f;

  /** @throws IllegalArgumentException if the mode is not one of {@link #SUPPORTED} */
  public PoolingHead {
    Objects.requireNonNull(pooling, "pooling");
    if (!SUPPORTED.contains(pooling)) {
      throw new IllegalArgumentException("pooling " + pooling.configName() + " is not supported; use one of "
          + SUPPORTED.stream().map(Pooling::configName).toList());
    }
  }

  /**
   * @throws IllegalArgumentException if the output has no {@code last_hidden_state} or its shape doesn't match the
   *     batch
   */
  /** The hidden states it pools. */
  @Override
  public Set<String> requiredOutputs() {
    return Set.of(ModelOutput.LAST_HIDDEN_STATE);
  }

  @Override
  public Tensor apply(ModelOutput output, BatchEncoding batch) {
    Tensor states = output.get(ModelOutput.LAST_HIDDEN_STATE);
    int[] shape = states.shape();
    if (shape.length != 3 || shape[0] != batch.size() || shape[1] != batch.sequenceLength()) {
      throw new IllegalArgumentException(
          ModelOutput.LAST_HIDDEN_STATE
              + " has shape "
              + Arrays.toString(shape)
              + ", expected [batch "
              + batch.size()
              + ", sequence "
              + batch.sequenceLength()
              + ", hidden]");
    }
    int sequence = shape[1];
    int hidden = shape[2];
    float[] values = states.toFloatArray();
    long[][] mask = batch.attentionMask();
    float[] pooled = new float[batch.size() * hidden];
    float[] row = new float[hidden];
    for (int b = 0; b < batch.size(); b++) {
      pool(values, b * sequence * hidden, sequence, hidden, mask[b], row);
      if (normalize) {
        normalizeInPlace(row);
      }
      System.arraycopy(row, 0, pooled, b * hidden, hidden);
    }
    return Tensor.wrap(pooled, batch.size(), hidden);
  }

  /**
   * Pools one input's token states exactly as sentence-transformers does.
   *
   * @param states row-major {@code [.., sequence, hidden]} states
   * @param offset where this input's {@code [sequence, hidden]} block starts in {@code states}
   * @param mask the input's attention mask, {@code sequence} entries
   * @param target receives the {@code hidden} pooled values
   */
  private void pool(float[] states, int offset, int sequence, int hidden, long[] mask, float[] target) {
    switch (pooling) {
      case CLS -> System.arraycopy(states, offset, target, 0, hidden);
      case MEAN -> {
        // sum(states * mask) / max(sum(mask), 1e-9)
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
      case MAX -> {
        // Padding counts as -1e9, as in sentence-transformers.
        Arrays.fill(target, Float.NEGATIVE_INFINITY);
        for (int s = 0; s < sequence; s++) {
          int row = offset + s * hidden;
          for (int h = 0; h < hidden; h++) {
            float value = mask[s] == 0 ? MASKED_VALUE : states[row + h];
            target[h] = Math.max(target[h], value);
          }
        }
      }
      default -> throw new IllegalStateException("checked in the constructor: " + pooling);
    }
  }

  private static void normalizeInPlace(float[] vector) {
    double squares = 0;
    for (float v : vector) {
      squares += (double) v * v;
    }
    double norm = Math.max(Math.sqrt(squares), MIN_NORM);
    for (int i = 0; i < vector.length; i++) {
      vector[i] = (float) (vector[i] / norm);
    }
  }
}
