package dev.jtransformers.heads;

import dev.jtransformers.api.ModelLoadException;
import dev.jtransformers.api.Tensor;
import dev.jtransformers.models.safetensors.SafetensorsFile;
import java.util.Arrays;
import java.util.Objects;

/**
 * A fully connected layer as {@code torch.nn.Linear} stores it, followed by an activation: {@code y = f(x W^T +
 * b)} with weight {@code [outputs, inputs]} and bias {@code [outputs]}. Immutable.
 */
public final class DenseLayer {
  private final float[] weight; // row-major [outputs, inputs]
  private final float[] bias;
  private final int inputs;
  private final int outputs;
  private final Activation activation;

  private DenseLayer(float[] weight, float[] bias, int inputs, int outputs, Activation activation) {
    this.weight = weight;
    this.bias = bias;
    this.inputs = inputs;
    this.outputs = outputs;
    this.activation = activation;
  }

  /**
   * A layer from its weight {@code [outputs, inputs]} and bias {@code [outputs]}.
   *
   * @throws IllegalArgumentException if the shapes don't fit together
   */
  public static DenseLayer of(Tensor weight, Tensor bias, Activation activation) {
    Objects.requireNonNull(activation, "activation");
    int[] w = weight.shape();
    int[] b = bias.shape();
    if (w.length != 2 || b.length != 1 || b[0] != w[0]) {
      throw new IllegalArgumentException(
          "a dense layer needs weight [outputs, inputs] and bias [outputs], got weight "
              + Arrays.toString(w)
              + " and bias "
              + Arrays.toString(b));
    }
    return new DenseLayer(weight.toFloatArray(), bias.toFloatArray(), w[1], w[0], activation);
  }

  /**
   * Reads the layer stored as {@code <prefix>.weight} and {@code <prefix>.bias}, checking it has the shape the
   * configuration of the model (or head) implies.
   *
   * @throws ModelLoadException naming the file and tensor, if either is missing or has another shape
   */
  public static DenseLayer read(SafetensorsFile file, String prefix, int inputs, int outputs, Activation activation) {
    Tensor weight = readChecked(file, prefix + ".weight", outputs, inputs);
    Tensor bias = readChecked(file, prefix + ".bias", outputs);
    return of(weight, bias, activation);
  }

  private static Tensor readChecked(SafetensorsFile file, String name, int... expected) {
    int[] actual = file.shape(name);
    if (!Arrays.equals(actual, expected)) {
      throw new ModelLoadException(
          file.path()
              + ": tensor '"
              + name
              + "' has shape "
              + Arrays.toString(actual)
              + ", but the configuration implies "
              + Arrays.toString(expected));
    }
    return file.getFloat(name);
  }

  /** Input width. */
  public int inputs() {
    return inputs;
  }

  /** Output width. */
  public int outputs() {
    return outputs;
  }

  public Activation activation() {
    return activation;
  }

  /** The weight {@code [outputs, inputs]}. */
  public Tensor weight() {
    return Tensor.of(weight, outputs, inputs);
  }

  /** The bias {@code [outputs]}. */
  public Tensor bias() {
    return Tensor.of(bias, outputs);
  }

  /**
   * The layer's output for one input vector.
   *
   * @throws IllegalArgumentException if {@code input} doesn't have {@link #inputs()} values
   */
  public float[] apply(float[] input) {
    if (input.length != inputs) {
      throw new IllegalArgumentException("dense layer takes " + inputs + " values, got " + input.length);
    }
    float[] output = new float[outputs];
    for (int o = 0; o < outputs; o++) {
      double sum = bias[o];
      int row = o * inputs;
      for (int i = 0; i < inputs; i++) {
        sum += (double) weight[row + i] * input[i];
      }
      output[o] = (float) activation.apply(sum);
    }
    return output;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DenseLayer d
        && inputs == d.inputs
        && activation == d.activation
        && Arrays.equals(weight, d.weight)
        && Arrays.equals(bias, d.bias);
  }

  @Override
  public int hashCode() {
    return Objects.hash(inputs, activation, Arrays.hashCode(weight), Arrays.hashCode(bias));
  }

  @Override
  public String toString() {
    return "DenseLayer[" + inputs + " -> " + outputs + ", " + activation.configName() + "]";
  }
}
