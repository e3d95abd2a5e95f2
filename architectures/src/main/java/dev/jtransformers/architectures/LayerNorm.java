package dev.jtransformers.architectures;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A {@code torch.nn.LayerNorm} over the last axis as a checkpoint stores it: {@code (x - mean) / sqrt(var +
 * epsilon) * weight + bias}.
 *
 * @param weight the scale, {@code [width]}
 * @param bias the shift, {@code [width]}
 * @param epsilon added to the variance ({@code layer_norm_eps}; DistilBERT fixes it at 1e-12)
 */
public record LayerNorm(Parameter weight, Parameter bias, double epsilon) {
  /** @throws IllegalArgumentException if weight and bias are not both {@code [width]} */
  public LayerNorm {
    Objects.requireNonNull(weight, "weight");
    Objects.requireNonNull(bias, "bias");
    if (weight.shape().length != 1 || !Arrays.equals(weight.shape(), bias.shape())) {
      throw new IllegalArgumentException("a layer norm needs weight and bias [width], got " + weight + " and " + bias);
    }
  }

  /** The layer norm at module path {@code path}: parameters {@code <path>.weight} and {@code <path>.bias}. */
  public static LayerNorm at(String path, int width, double epsilon) {
    return new LayerNorm(Parameter.of(path + ".weight", width), Parameter.of(path + ".bias", width), epsilon);
  }

  /** The weight, then the bias. */
  public List<Parameter> parameters() {
    return List.of(weight, bias);
  }
}
