package dev.jtransformers.heads;

import dev.jtransformers.api.BatchEncoding;
import dev.jtransformers.api.ModelOutput;
import dev.jtransformers.api.Tensor;
import dev.jtransformers.spi.Head;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Logits {@code [batch, labels]}: a sentence vector per input (pooled from {@code last_hidden_state}) through a
 * stack of dense layers. Hugging Face's BERT and DistilBERT sequence-classification heads are {@code [CLS]}
 * pooling and two layers; heads trained on frozen encoders are any pooling and one or two layers.
 *
 * @param pooling how each input's vector is pooled
 * @param layers applied in order; each takes the previous one's outputs
 */
public record ClassificationHead(PoolingHead pooling, List<DenseLayer> layers) implements Head {

  /** @throws IllegalArgumentException if there are no layers or consecutive layers don't fit together */
  public ClassificationHead {
    Objects.requireNonNull(pooling, "pooling");
    layers = List.copyOf(layers);
    if (layers.isEmpty()) {
      throw new IllegalArgumentException("a classification head needs at least one layer");
    }
    for (int i = 1; i < layers.size(); i++) {
      if (layers.get(i).inputs() != layers.get(i - 1).outputs()) {
        throw new IllegalArgumentException(
            "layer " + i + " " + layers.get(i) + " does not take the outputs of layer " + (i - 1) + " "
                + layers.get(i - 1));
      }
    }
  }

  /** Width of the pooled vectors the head takes. */
  public int inputs() {
    return layers.get(0).inputs();
  }

  /** Number of labels. */
  public int outputs() {
    return layers.get(layers.size() - 1).outputs();
  }

  /** What its pooling reads. */
  @Override
  public Set<String> requiredOutputs() {
    return pooling.requiredOutputs();
  }

  /** @throws IllegalArgumentException if the model's hidden size is not the head's {@link #inputs()} */
  @Override
  public Tensor apply(ModelOutput output, BatchEncoding batch) {
    return logits(pooling.apply(output, batch));
  }

  /**
   * The logits {@code [batch, labels]} for already pooled vectors {@code [batch, inputs]}.
   *
   * @throws IllegalArgumentException if {@code pooled} is not {@code [batch, inputs()]}
   */
  public Tensor logits(Tensor pooled) {
    int[] shape = pooled.shape();
    if (shape.length != 2 || shape[1] != inputs()) {
      throw new IllegalArgumentException(
          "head takes vectors of " + inputs() + " values, got a tensor of shape " + Arrays.toString(shape));
    }
    int labels = outputs();
    float[] logits = new float[shape[0] * labels];
    float[][] rows = pooled.toFloatArray2D();
    for (int b = 0; b < rows.length; b++) {
      float[] values = rows[b];
      for (DenseLayer layer : layers) {
        values = layer.apply(values);
      }
      System.arraycopy(values, 0, logits, b * labels, labels);
    }
    return Tensor.wrap(logits, shape[0], labels);
  }
}
