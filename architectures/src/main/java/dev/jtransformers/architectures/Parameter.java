package dev.jtransformers.architectures;

import java.util.Arrays;
import java.util.Objects;

/**
 * One weight of a checkpoint: its name in the Hugging Face state dict (e.g. {@code
 * bert.encoder.layer.0.attention.self.query.weight}) and the shape the model's configuration implies. Immutable.
 *
 * @param name the tensor name in {@code model.safetensors}
 * @param shape the dimensions, outermost first
 */
public record Parameter(String name, int[] shape) {
  public Parameter {
    Objects.requireNonNull(name, "name");
    shape = shape.clone();
    for (int dimension : shape) {
      if (dimension < 0) {
        throw new IllegalArgumentException(name + ": negative dimension in shape " + Arrays.toString(shape));
      }
    }
  }

  /** The parameter {@code name} of shape {@code shape}. */
  public static Parameter of(String name, int... shape) {
    return new Parameter(name, shape);
  }

  @Override
  public int[] shape() {
    return shape.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Parameter p && name.equals(p.name) && Arrays.equals(shape, p.shape);
  }

  @Override
  public int hashCode() {
    return 31 * name.hashCode() + Arrays.hashCode(shape);
  }

  /** E.g. {@code classifier.weight [3, 32]}. */
  @Override
  public String toString() {
    return name + " " + Arrays.toString(shape);
  }
}
