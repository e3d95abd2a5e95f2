package dev.jtransformers.architectures;

import java.util.List;
import java.util.Objects;

/**
 * A {@code torch.nn.Linear} as a checkpoint stores it: {@code y = x W^T + b} with weight {@code [outputs, inputs]}
 * and bias {@code [outputs]}. A layer tied to another module's weight (a masked LM's decoder reads the word
 * embeddings) names that module's parameter as its weight.
 *
 * @param weight {@code [outputs, inputs]}
 * @param bias {@code [outputs]}
 */
public record Linear(Parameter weight, Parameter bias) {
  /** @throws IllegalArgumentException if the shapes are not {@code [outputs, inputs]} and {@code [outputs]} */
  public Linear {
    Objects.requireNonNull(weight, "weight");
    Objects.requireNonNull(bias, "bias");
    int[] w = weight.shape();
    int[] b = bias.shape();
    if (w.length != 2 || b.length != 1 || b[0] != w[0]) {
      throw new IllegalArgumentException(
          "a linear layer needs weight [outputs, inputs] and bias [outputs], got " + weight + " and " + bias);
    }
  }

  /** The layer at module path {@code path}: parameters {@code <path>.weight} and {@code <path>.bias}. */
  public static Linear at(String path, int inputs, int outputs) {
    return new Linear(Parameter.of(path + ".weight", outputs, inputs), Parameter.of(path + ".bias", outputs));
  }

  /** Width of the input vectors. */
  public int inputs() {
    return weight.shape()[1];
  }

  /** Width of the output vectors. */
  public int outputs() {
    return weight.shape()[0];
  }

  /** The weight, then the bias. */
  public List<Parameter> parameters() {
    return List.of(weight, bias);
  }
}
