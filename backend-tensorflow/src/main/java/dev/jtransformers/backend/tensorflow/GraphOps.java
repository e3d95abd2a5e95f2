package dev.jtransformers.backend.tensorflow;

import dev.jtransformers.api.Tensor;
import dev.jtransformers.architectures.TensorOps;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Assign;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.op.math.Cumsum;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * {@link TensorOps} as TensorFlow graph operations: each call adds nodes to the graph behind {@code tf} and returns
 * the symbolic output, so the forward pass runs once to build the graph and the session runs it as often as needed.
 * Weights become variables named after their checkpoint tensors, each with an assignment from a placeholder that
 * {@link #weights()} lists: a session fills them once. Constants would put every weight in the graph definition
 * itself, which TensorFlow's graph optimiser copies pass after pass (tens of seconds on the first run of a 90 MB
 * model), and which a SavedModel could not hold beyond protocol buffers' 2 GB.
 *
 * <p>Integer tensors travel as float32, as in {@link dev.jtransformers.architectures.FloatArrayOps} (every token id
 * is exact below 2<sup>24</sup>): the graph's int64 inputs are cast once on entry, and {@link #gather} casts its
 * indices back. So one tensor type serves every operation, and no cast is unchecked.
 *
 * <p>Shapes are read at run time ({@code Shape} ops) wherever they depend on the batch, so one graph serves every
 * batch size and sequence length.
 */
final class GraphOps implements TensorOps<Operand<TFloat32>> {
  /** {@code 1/√2}, the scale inside the exact GELU. */
  private static final float SQRT_HALF = (float) Math.sqrt(0.5);

  /**
   * A weight to load into a session: feed {@code value} to {@code placeholder} and run {@code assign}.
   *
   * @param value the checkpoint's tensor
   */
  record Weight(Placeholder<TFloat32> placeholder, Assign<TFloat32> assign, Tensor value) {}

  private final Ops tf;
  private final List<Weight> weights = new ArrayList<>();

  GraphOps(Ops tf) {
    this.tf = tf;
  }

  /** The weights {@link #parameter} made, in order. */
  List<Weight> weights() {
    return List.copyOf(weights);
  }

  /** The shape of a tensor of ours, as TensorFlow writes it. */
  static Shape shape(Tensor tensor) {
    return Shape.of(Arrays.stream(tensor.shape()).asLongStream().toArray());
  }

  /** An integer input ({@code [batch, sequence]}) as these operations take it. */
  Operand<TFloat32> indices(Operand<?> integers) {
    return tf.dtypes.cast(integers, TFloat32.class);
  }

  @Override
  public Operand<TFloat32> parameter(String name, Tensor value) {
    Shape shape = shape(value);
    Variable<TFloat32> variable = tf.withName(name).variable(shape, TFloat32.class);
    Placeholder<TFloat32> placeholder =
        tf.withName(name + ".initial_value").placeholder(TFloat32.class, Placeholder.shape(shape));
    weights.add(new Weight(placeholder, tf.withName(name + ".assign").assign(variable, placeholder), value));
    return variable;
  }

  /** As a 2-D {@code MatMul} with {@code BiasAdd}, the pair TensorFlow's CPU kernels fuse. */
  @Override
  public Operand<TFloat32> linear(Operand<TFloat32> x, Operand<TFloat32> weight, Operand<TFloat32> bias) {
    long inputs = weight.shape().get(1);
    Operand<TFloat32> rows = tf.reshape(x, tf.constant(new long[] {-1, inputs}));
    Operand<TFloat32> product = tf.linalg.matMul(rows, weight, MatMul.transposeB(true));
    Operand<TFloat32> biased = tf.nn.biasAdd(product, bias);
    return tf.reshape(biased, withLastAxes(x, 1, tf.constant(new int[] {(int) weight.shape().get(0)})));
  }

  @Override
  public Operand<TFloat32> matmul(Operand<TFloat32> a, Operand<TFloat32> b) {
    return tf.train.batchMatMul(a, b, TFloat32.class);
  }

  @Override
  public Operand<TFloat32> add(Operand<TFloat32> a, Operand<TFloat32> b) {
    return tf.math.add(a, b);
  }

  @Override
  public Operand<TFloat32> scale(Operand<TFloat32> x, float factor) {
    return tf.math.mul(x, tf.constant(factor));
  }

  @Override
  public Operand<TFloat32> layerNorm(
      Operand<TFloat32> x, Operand<TFloat32> weight, Operand<TFloat32> bias, double epsilon) {
    Operand<TFloat32> centred = tf.math.sub(x, meanOfLastAxis(x));
    Operand<TFloat32> variance = meanOfLastAxis(tf.math.square(centred));
    Operand<TFloat32> scale = tf.math.rsqrt(tf.math.add(variance, tf.constant((float) epsilon)));
    Operand<TFloat32> normalised = tf.math.mul(centred, scale);
    return tf.math.add(tf.math.mul(normalised, weight), bias);
  }

  /** Written as Python TensorFlow's {@code gelu(approximate=False)}, a pattern TensorFlow fuses after a MatMul. */
  @Override
  public Operand<TFloat32> gelu(Operand<TFloat32> x) {
    Operand<TFloat32> erf = tf.math.erf(tf.math.mul(x, tf.constant(SQRT_HALF)));
    return tf.math.mul(tf.math.mul(tf.constant(0.5f), x), tf.math.add(tf.constant(1f), erf));
  }

  @Override
  public Operand<TFloat32> relu(Operand<TFloat32> x) {
    return tf.nn.relu(x);
  }

  @Override
  public Operand<TFloat32> tanh(Operand<TFloat32> x) {
    return tf.math.tanh(x);
  }

  @Override
  public Operand<TFloat32> softmax(Operand<TFloat32> x) {
    return tf.nn.softmax(x);
  }

  @Override
  public Operand<TFloat32> gather(Operand<TFloat32> table, Operand<TFloat32> indices) {
    return tf.gather(table, tf.dtypes.cast(indices, TInt32.class), tf.constant(0));
  }

  /** {@code 0, 1, ...} along each row: the exclusive running sum of ones. */
  @Override
  public Operand<TFloat32> positions(Operand<TFloat32> ids) {
    return tf.math.cumsum(tf.onesLike(ids), tf.constant(1), Cumsum.exclusive(true));
  }

  @Override
  public Operand<TFloat32> splitLastAxis(Operand<TFloat32> x, int parts) {
    return tf.reshape(x, withLastAxes(x, 1, tf.constant(new int[] {parts, -1})));
  }

  @Override
  public Operand<TFloat32> mergeLastAxes(Operand<TFloat32> x) {
    return tf.reshape(x, withLastAxes(x, 2, tf.constant(new int[] {-1})));
  }

  @Override
  public Operand<TFloat32> permute(Operand<TFloat32> x, int... permutation) {
    return tf.linalg.transpose(x, tf.constant(permutation));
  }

  /** Adds {@code (1 - mask) × lowest float} to every query's scores, as {@code transformers} does. */
  @Override
  public Operand<TFloat32> maskKeys(Operand<TFloat32> scores, Operand<TFloat32> attentionMask) {
    Operand<TFloat32> bias = tf.math.mul(tf.math.sub(tf.constant(1f), attentionMask), tf.constant(-Float.MAX_VALUE));
    // [batch, keys] -> [batch, 1, 1, keys], which broadcasts over heads and queries
    Operand<TFloat32> perKey = tf.expandDims(tf.expandDims(bias, tf.constant(1)), tf.constant(1));
    return tf.math.add(scores, perKey);
  }

  @Override
  public Operand<TFloat32> select(Operand<TFloat32> x, int axis, int index) {
    return tf.gather(x, tf.constant(index), tf.constant(axis));
  }

  private Operand<TFloat32> meanOfLastAxis(Operand<TFloat32> x) {
    return tf.math.mean(x, tf.constant(-1), Mean.keepDims(true));
  }

  /**
   * The shape of {@code x} with its last {@code replaced} axes replaced by {@code last}, for a reshape: the leading
   * axes (batch, sequence) are read at run time.
   */
  private Operand<TInt32> withLastAxes(Operand<TFloat32> x, int replaced, Operand<TInt32> last) {
    int rank = x.shape().numDimensions();
    if (rank < replaced) {
      throw new IllegalStateException("tensor of unknown or too small rank: " + x.shape());
    }
    Operand<TInt32> leading =
        tf.slice(tf.shape(x), tf.constant(new int[] {0}), tf.constant(new int[] {rank - replaced}));
    return tf.concat(List.of(leading, last), tf.constant(0));
  }
}
