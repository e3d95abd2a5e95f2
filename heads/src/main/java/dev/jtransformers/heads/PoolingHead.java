package dev.jtransformers.heads;

import dev.jtransformers.api.BatchEncoding;
import dev.jtransformers.api.ModelOutput;
import dev.jtransformers.api.Tensor;
import dev.jtransformers.spi.Head;
import java.util.Arrays;
import java.util.Objects;

/**
 * Sentence vectors {@code [batch, hidden]} from {@code last_hidden_state} {@code [batch, sequence, hidden]} and the
 * batch's attention mask, optionally L2-normalised as {@code torch.nn.functional.normalize} does: {@code x /
 * max(||x||, 1e-12)}.
 *
 * @param pooling how token states are combined
 * @param normalize whether each vector is scaled to unit length
 */
public record PoolingHead(Pooling pooling, boolean normalize) implements Head {
  private static final double MIN_NORM = 1e-12;

  public PoolingHead {
    Objects.requireNonNull(pooling, "pooling");
  }

  /**
   * @throws IllegalArgumentException if the output has no {@code last_hidden_state} or its shape doesn't match the
   *     batch
   */
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
      pooling.pool(values, b * sequence * hidden, sequence, hidden, mask[b], row);
      if (normalize) {
        normalizeInPlace(row);
      }
      System.arraycopy(row, 0, pooled, b * hidden, hidden);
    }
    return Tensor.wrap(pooled, batch.size(), hidden);
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
