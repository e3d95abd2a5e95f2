package dev.jtransformers.backend.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jtransformers.api.Tensor;
import java.util.Arrays;

/** Reads rows out of output tensors and compares them within a tolerance, naming where they differ. */
final class Outputs {
  private Outputs() {}

  /** Row {@code row} of a {@code [batch, n]} tensor. */
  static float[] row(Tensor tensor, int row) {
    return tensor.slice(row).toFloatArray();
  }

  /** The states of the first {@code tokens} tokens of input {@code row} of a {@code [batch, seq, hidden]} tensor. */
  static float[] tokens(Tensor states, int row, int tokens) {
    return Arrays.copyOf(states.slice(row).toFloatArray(), tokens * states.dim(2));
  }

  static float[] flatten(float[][] matrix) {
    int width = matrix.length == 0 ? 0 : matrix[0].length;
    float[] flat = new float[matrix.length * width];
    for (int r = 0; r < matrix.length; r++) {
      System.arraycopy(matrix[r], 0, flat, r * width, width);
    }
    return flat;
  }

  static void assertShape(Tensor tensor, String name, int... expected) {
    assertArrayEquals(expected, tensor.shape(), () -> name + " has shape " + Arrays.toString(tensor.shape()));
  }

  static double maxAbsDiff(float[] expected, float[] actual) {
    if (expected.length != actual.length) {
      throw new AssertionError(expected.length + " values expected, got " + actual.length);
    }
    double max = 0;
    for (int i = 0; i < expected.length; i++) {
      double diff = Math.abs(expected[i] - actual[i]);
      if (!(diff <= max)) { // also catches NaN
        max = Double.isNaN(diff) ? Double.POSITIVE_INFINITY : diff;
      }
    }
    return max;
  }

  static void assertClose(float[] expected, float[] actual, double tolerance, String what) {
    double diff = maxAbsDiff(expected, actual);
    if (!(diff <= tolerance)) {
      fail(what + ": max abs difference " + diff + " exceeds " + tolerance);
    }
  }
}
