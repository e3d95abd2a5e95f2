package dev.jtransformers.api;

import java.util.Arrays;

/**
 * A dense, row-major float32 tensor: the engine-neutral type in which model outputs cross module boundaries.
 * No engine type ever appears in the API; backends copy their native outputs into tensors and close them.
 *
 * <p>Immutable: {@link #of} copies its data; {@link #wrap} takes ownership of an array its caller will not touch
 * again (used by backends to avoid a second copy of large outputs).
 */
public final class Tensor {
  private final float[] data;
  private final int[] shape;
  private final int[] strides;

  private Tensor(float[] data, int[] shape) {
    long size = 1;
    for (int d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
      }
      size *= d;
    }
    if (size != data.length) {
      throw new IllegalArgumentException(
          "shape " + Arrays.toString(shape) + " needs " + size + " values, got " + data.length);
    }
    this.data = data;
    this.shape = shape;
    this.strides = new int[shape.length];
    int stride = 1;
    for (int i = shape.length - 1; i >= 0; i--) {
      strides[i] = stride;
      stride *= shape[i];
    }
  }

  /** A tensor holding a copy of {@code data} with the given shape. */
  public static Tensor of(float[] data, int... shape) {
    return new Tensor(data.clone(), shape.clone());
  }

  /** A tensor that takes ownership of {@code data}: the caller must not modify the array afterwards. */
  public static Tensor wrap(float[] data, int... shape) {
    return new Tensor(data, shape.clone());
  }

  /** A {@code [rows, columns]} tensor from a rectangular matrix. */
  public static Tensor of(float[][] matrix) {
    int columns = matrix.length == 0 ? 0 : matrix[0].length;
    float[] data = new float[matrix.length * columns];
    for (int r = 0; r < matrix.length; r++) {
      if (matrix[r].length != columns) {
        throw new IllegalArgumentException("row " + r + " has " + matrix[r].length + " values, expected " + columns);
      }
      System.arraycopy(matrix[r], 0, data, r * columns, columns);
    }
    return new Tensor(data, new int[] {matrix.length, columns});
  }

  /** The dimensions, outermost first. */
  public int[] shape() {
    return shape.clone();
  }

  public int rank() {
    return shape.length;
  }

  /** The size of dimension {@code axis}. */
  public int dim(int axis) {
    return shape[axis];
  }

  /** Number of values. */
  public int size() {
    return data.length;
  }

  /** The value at an index with one entry per dimension. */
  public float get(int... index) {
    if (index.length != shape.length) {
      throw new IllegalArgumentException(
          "index of rank " + index.length + " for a tensor of shape " + Arrays.toString(shape));
    }
    int offset = 0;
    for (int i = 0; i < index.length; i++) {
      if (index[i] < 0 || index[i] >= shape[i]) {
        throw new IndexOutOfBoundsException(
            "index " + Arrays.toString(index) + " outside shape " + Arrays.toString(shape));
      }
      offset += index[i] * strides[i];
    }
    return data[offset];
  }

  /** All values, row-major, as a fresh array. */
  public float[] toFloatArray() {
    return data.clone();
  }

  /**
   * Copies {@code length} values, from row-major position {@code from} on, into {@code target}: a part of a large
   * tensor (a few rows of {@code [batch, sequence, vocab]} logits) without copying the whole of it.
   *
   * @throws IndexOutOfBoundsException if either range is outside its array
   */
  public void copyTo(int from, float[] target, int targetFrom, int length) {
    System.arraycopy(data, from, target, targetFrom, length);
  }

  /**
   * The sub-tensor at {@code index} of the first dimension (rank drops by one): row {@code index} of a matrix, the
   * {@code [sequence, hidden]} states of one input of a {@code [batch, sequence, hidden]} tensor.
   */
  public Tensor slice(int index) {
    if (shape.length == 0) {
      throw new IllegalStateException("cannot slice a scalar");
    }
    if (index < 0 || index >= shape[0]) {
      throw new IndexOutOfBoundsException("slice " + index + " of dimension " + shape[0]);
    }
    int length = strides[0];
    return new Tensor(
        Arrays.copyOfRange(data, index * length, (index + 1) * length), Arrays.copyOfRange(shape, 1, shape.length));
  }

  /** The values of a rank-2 tensor as {@code float[rows][columns]}. */
  public float[][] toFloatArray2D() {
    requireRank(2);
    float[][] m = new float[shape[0]][];
    for (int r = 0; r < shape[0]; r++) {
      m[r] = Arrays.copyOfRange(data, r * strides[0], (r + 1) * strides[0]);
    }
    return m;
  }

  /** The values of a rank-3 tensor as {@code float[d0][d1][d2]}. */
  public float[][][] toFloatArray3D() {
    requireRank(3);
    float[][][] m = new float[shape[0]][shape[1]][];
    for (int i = 0; i < shape[0]; i++) {
      for (int j = 0; j < shape[1]; j++) {
        int from = i * strides[0] + j * strides[1];
        m[i][j] = Arrays.copyOfRange(data, from, from + shape[2]);
      }
    }
    return m;
  }

  private void requireRank(int rank) {
    if (shape.length != rank) {
      throw new IllegalStateException("tensor of shape " + Arrays.toString(shape) + " is not of rank " + rank);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Tensor t && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "Tensor" + Arrays.toString(shape);
  }
}
