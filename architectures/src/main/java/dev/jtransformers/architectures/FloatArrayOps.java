package dev.jtransformers.architectures;

import dev.jtransformers.api.Tensor;
import java.util.Arrays;
import java.util.function.DoubleUnaryOperator;

/**
 * {@link TensorOps} over plain Java arrays, with the project's {@link Tensor} as the tensor type: the engine-free
 * reference that checks the forward pass against Python before any engine is involved, and the definition of each
 * operation's semantics. Straightforward loops in float32 as PyTorch computes (normalisations in double); fast
 * enough for small models and short inputs.
 *
 * <p>Integer tensors travel as float tensors ({@link #indices}): every integer below 2<sup>24</sup>, hence every
 * token id of a real vocabulary, is exact in float32.
 *
 * <p>Stateless and thread-safe.
 */
public final class FloatArrayOps implements TensorOps<Tensor> {
  /** Integers up to this are exact in float32. */
  private static final long MAX_EXACT_INTEGER = 1L << 24;
  /** {@code P(t)} of {@link #erf}, constant term first. */
  private static final double[] ERFC_COEFFICIENTS = {
    -1.26551223, 1.00002368, 0.37409196, 0.09678418, -0.18628806,
    0.27886807, -1.13520398, 1.48851587, -0.82215223, 0.17087277
  };

  /**
   * An integer input ({@code input_ids}, {@code attention_mask}, {@code token_type_ids}) as this implementation
   * takes it.
   *
   * @param values {@code [batch, sequence]}, rectangular
   * @throws IllegalArgumentException if the rows differ in length or a value is not exact in float32
   */
  public static Tensor indices(long[][] values) {
    int columns = values.length == 0 ? 0 : values[0].length;
    float[] data = new float[values.length * columns];
    for (int r = 0; r < values.length; r++) {
      if (values[r].length != columns) {
        throw new IllegalArgumentException("row " + r + " has " + values[r].length + " values, expected " + columns);
      }
      for (int c = 0; c < columns; c++) {
        if (Math.abs(values[r][c]) > MAX_EXACT_INTEGER) {
          throw new IllegalArgumentException(
              "value " + values[r][c] + " at [" + r + ", " + c + "] is not exact in float32");
        }
        data[r * columns + c] = values[r][c];
      }
    }
    return Tensor.wrap(data, values.length, columns);
  }

  @Override
  public Tensor parameter(String name, Tensor value) {
    return value;
  }

  @Override
  public Tensor linear(Tensor x, Tensor weight, Tensor bias) {
    int inputs = weight.dim(1);
    int outputs = weight.dim(0);
    float[] in = x.toFloatArray();
    float[] b = bias.toFloatArray();
    int rows = in.length / inputs;
    float[] out = new float[rows * outputs];
    for (int r = 0; r < rows; r++) {
      System.arraycopy(b, 0, out, r * outputs, outputs);
    }
    multiplyAdd(in, 0, transpose(weight.toFloatArray(), outputs, inputs), 0, out, 0, rows, inputs, outputs);
    return Tensor.wrap(out, withLast(x.shape(), outputs));
  }

  @Override
  public Tensor matmul(Tensor a, Tensor b) {
    int[] shape = a.shape();
    int rank = shape.length;
    int m = shape[rank - 2];
    int k = shape[rank - 1];
    int n = b.dim(rank - 1);
    float[] left = a.toFloatArray();
    float[] right = b.toFloatArray();
    int batches = left.length / (m * k);
    float[] out = new float[batches * m * n];
    for (int batch = 0; batch < batches; batch++) {
      multiplyAdd(left, batch * m * k, right, batch * k * n, out, batch * m * n, m, k, n);
    }
    shape[rank - 1] = n;
    return Tensor.wrap(out, shape);
  }

  /**
   * {@code out[m, n] += a[m, k] · b[k, n]}, one row-major matrix of each at the given offsets. The inner loop runs
   * along rows of {@code b} and {@code out}, which the JIT compiles to vector instructions.
   */
  private static void multiplyAdd(
      float[] a, int aOffset, float[] b, int bOffset, float[] out, int outOffset, int m, int k, int n) {
    for (int i = 0; i < m; i++) {
      int row = outOffset + i * n;
      for (int p = 0; p < k; p++) {
        float factor = a[aOffset + i * k + p];
        int from = bOffset + p * n;
        for (int j = 0; j < n; j++) {
          out[row + j] += factor * b[from + j];
        }
      }
    }
  }

  /** A row-major {@code [rows, columns]} matrix as {@code [columns, rows]}. */
  static float[] transpose(float[] matrix, int rows, int columns) {
    float[] transposed = new float[matrix.length];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < columns; c++) {
        transposed[c * rows + r] = matrix[r * columns + c];
      }
    }
    return transposed;
  }

  /** @throws IllegalArgumentException if the shapes differ */
  @Override
  public Tensor add(Tensor a, Tensor b) {
    if (!Arrays.equals(a.shape(), b.shape())) {
      throw new IllegalArgumentException(
          "cannot add shapes " + Arrays.toString(a.shape()) + " and " + Arrays.toString(b.shape()));
    }
    float[] sum = a.toFloatArray();
    float[] other = b.toFloatArray();
    for (int i = 0; i < sum.length; i++) {
      sum[i] += other[i];
    }
    return Tensor.wrap(sum, a.shape());
  }

  @Override
  public Tensor scale(Tensor x, float factor) {
    return map(x, v -> v * factor);
  }

  @Override
  public Tensor layerNorm(Tensor x, Tensor weight, Tensor bias, double epsilon) {
    float[] values = x.toFloatArray();
    float[] gamma = weight.toFloatArray();
    float[] beta = bias.toFloatArray();
    int width = gamma.length;
    for (int offset = 0; offset < values.length; offset += width) {
      double mean = 0;
      for (int i = 0; i < width; i++) {
        mean += values[offset + i];
      }
      mean /= width;
      double variance = 0;
      for (int i = 0; i < width; i++) {
        double d = values[offset + i] - mean;
        variance += d * d;
      }
      double scale = 1 / Math.sqrt(variance / width + epsilon);
      for (int i = 0; i < width; i++) {
        values[offset + i] = (float) ((values[offset + i] - mean) * scale * gamma[i] + beta[i]);
      }
    }
    return Tensor.wrap(values, x.shape());
  }

  @Override
  public Tensor gelu(Tensor x) {
    return map(x, v -> 0.5 * v * (1 + erf(v / Math.sqrt(2))));
  }

  @Override
  public Tensor relu(Tensor x) {
    return map(x, v -> Math.max(0, v));
  }

  @Override
  public Tensor tanh(Tensor x) {
    return map(x, Math::tanh);
  }

  @Override
  public Tensor softmax(Tensor x) {
    float[] values = x.toFloatArray();
    int width = x.dim(x.rank() - 1);
    for (int offset = 0; offset < values.length; offset += width) {
      double max = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < width; i++) {
        max = Math.max(max, values[offset + i]);
      }
      double[] exponentials = new double[width];
      double sum = 0;
      for (int i = 0; i < width; i++) {
        exponentials[i] = Math.exp(values[offset + i] - max);
        sum += exponentials[i];
      }
      for (int i = 0; i < width; i++) {
        values[offset + i] = (float) (exponentials[i] / sum);
      }
    }
    return Tensor.wrap(values, x.shape());
  }

  /** @throws IndexOutOfBoundsException naming the index, if one is not a row of the table */
  @Override
  public Tensor gather(Tensor table, Tensor indices) {
    int rows = table.dim(0);
    int width = table.dim(1);
    float[] source = table.toFloatArray();
    float[] positions = indices.toFloatArray();
    float[] out = new float[positions.length * width];
    for (int i = 0; i < positions.length; i++) {
      int row = (int) positions[i];
      if (row < 0 || row >= rows) {
        throw new IndexOutOfBoundsException("index " + row + " outside a table of " + rows + " rows");
      }
      System.arraycopy(source, row * width, out, i * width, width);
    }
    int[] shape = Arrays.copyOf(indices.shape(), indices.rank() + 1);
    shape[indices.rank()] = width;
    return Tensor.wrap(out, shape);
  }

  @Override
  public Tensor positions(Tensor ids) {
    int batch = ids.dim(0);
    int sequence = ids.dim(1);
    float[] out = new float[batch * sequence];
    for (int i = 0; i < out.length; i++) {
      out[i] = i % sequence;
    }
    return Tensor.wrap(out, batch, sequence);
  }

  @Override
  public Tensor splitLastAxis(Tensor x, int parts) {
    int[] shape = x.shape();
    int last = shape[shape.length - 1];
    if (last % parts != 0) {
      throw new IllegalArgumentException("cannot split an axis of " + last + " into " + parts + " parts");
    }
    int[] split = Arrays.copyOf(shape, shape.length + 1);
    split[shape.length - 1] = parts;
    split[shape.length] = last / parts;
    return Tensor.wrap(x.toFloatArray(), split); // row-major: the same values in the same order
  }

  @Override
  public Tensor mergeLastAxes(Tensor x) {
    int[] shape = x.shape();
    int[] merged = Arrays.copyOf(shape, shape.length - 1);
    merged[merged.length - 1] = shape[shape.length - 2] * shape[shape.length - 1];
    return Tensor.wrap(x.toFloatArray(), merged);
  }

  @Override
  public Tensor permute(Tensor x, int... permutation) {
    int[] shape = x.shape();
    int rank = shape.length;
    if (permutation.length != rank) {
      throw new IllegalArgumentException(
          "permutation " + Arrays.toString(permutation) + " for a tensor of rank " + rank);
    }
    int[] strides = strides(shape);
    int[] outShape = new int[rank];
    int[] sourceStrides = new int[rank]; // the source stride of each result axis
    for (int i = 0; i < rank; i++) {
      outShape[i] = shape[permutation[i]];
      sourceStrides[i] = strides[permutation[i]];
    }
    float[] source = x.toFloatArray();
    float[] out = new float[source.length];
    int[] index = new int[rank];
    for (int i = 0; i < out.length; i++) {
      int offset = 0;
      for (int axis = 0; axis < rank; axis++) {
        offset += index[axis] * sourceStrides[axis];
      }
      out[i] = source[offset];
      for (int axis = rank - 1; axis >= 0 && ++index[axis] == outShape[axis]; axis--) {
        index[axis] = 0; // carry into the next outer axis
      }
    }
    return Tensor.wrap(out, outShape);
  }

  @Override
  public Tensor maskKeys(Tensor scores, Tensor attentionMask) {
    int batch = scores.dim(0);
    int keys = scores.dim(3);
    int perBatch = scores.size() / batch;
    float[] values = scores.toFloatArray();
    float[] mask = attentionMask.toFloatArray();
    for (int i = 0; i < values.length; i++) {
      if (mask[(i / perBatch) * keys + i % keys] == 0) {
        values[i] = -Float.MAX_VALUE;
      }
    }
    return Tensor.wrap(values, scores.shape());
  }

  @Override
  public Tensor select(Tensor x, int axis, int index) {
    int[] shape = x.shape();
    if (index < 0 || index >= shape[axis]) {
      throw new IndexOutOfBoundsException("index " + index + " outside axis " + axis + " of " + Arrays.toString(shape));
    }
    int inner = strides(shape)[axis];
    int outer = x.size() / (inner * shape[axis]);
    float[] source = x.toFloatArray();
    float[] out = new float[outer * inner];
    for (int o = 0; o < outer; o++) {
      System.arraycopy(source, (o * shape[axis] + index) * inner, out, o * inner, inner);
    }
    int[] outShape = new int[shape.length - 1];
    for (int i = 0, j = 0; i < shape.length; i++) {
      if (i != axis) {
        outShape[j++] = shape[i];
      }
    }
    return Tensor.wrap(out, outShape);
  }

  private static Tensor map(Tensor x, DoubleUnaryOperator function) {
    float[] values = x.toFloatArray();
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) function.applyAsDouble(values[i]);
    }
    return Tensor.wrap(values, x.shape());
  }

  private static int[] withLast(int[] shape, int last) {
    int[] result = shape.clone();
    result[result.length - 1] = last;
    return result;
  }

  private static int[] strides(int[] shape) {
    int[] strides = new int[shape.length];
    int stride = 1;
    for (int i = shape.length - 1; i >= 0; i--) {
      strides[i] = stride;
      stride *= shape[i];
    }
    return strides;
  }

  /**
   * The error function, to about 1e-7 relative: Numerical Recipes' Chebyshev fit of {@code erfc} (Press et al.,
   * section 6.2), {@code erfc(z) = t exp(-z² + P(t))} with {@code t = 1 / (1 + z/2)}; ample for float32. Java has no
   * {@code erf}.
   */
  static double erf(double x) {
    double z = Math.abs(x);
    double t = 1 / (1 + 0.5 * z);
    double polynomial = 0;
    for (int i = ERFC_COEFFICIENTS.length - 1; i >= 0; i--) {
      polynomial = ERFC_COEFFICIENTS[i] + t * polynomial;
    }
    double erfc = t * Math.exp(-z * z + polynomial);
    return x >= 0 ? 1 - erfc : erfc - 1;
  }
}
