package dev.jtransformers.architectures;

import dev.jtransformers.api.Tensor;

/**
 * The tensor operations the {@link Network forward pass} is written in: few enough that an eager engine (DJL
 * {@code NDArray}), a graph builder (TensorFlow Java ops) or an ONNX graph writer implements each in a line or two.
 * A value of {@code T} is whatever the engine calls a tensor: an array holding numbers, or a symbolic handle to a
 * graph node. The forward pass never reads values, so it can run once over placeholders to build a graph.
 *
 * <p>Every tensor the forward pass makes is float32 except the integer inputs ({@code input_ids}, {@code
 * attention_mask}, {@code token_type_ids}, the indices from {@link #positions}), which the engine supplies in its
 * own integer type. Shapes are written outermost first; {@code [..., n]} means any leading axes. Operations whose
 * shapes don't fit are the caller's mistake and may fail as the engine fails.
 *
 * <p>The reference semantics are {@link FloatArrayOps}'s, which match PyTorch's to float32 rounding.
 *
 * @param <T> the engine's tensor type
 */
public interface TensorOps<T> {
  /**
   * A weight of the network, called once per parameter when the network is built: an array in an eager engine, a
   * constant or variable of a graph.
   *
   * @param name the parameter's name in the checkpoint, e.g. {@code bert.embeddings.word_embeddings.weight}
   */
  T parameter(String name, Tensor value);

  /**
   * {@code x W^T + b} on the last axis ({@code torch.nn.Linear}): {@code x [..., in]}, {@code weight [out, in]},
   * {@code bias [out]} → {@code [..., out]}.
   */
  T linear(T x, T weight, T bias);

  /** Batched matrix product on the last two axes: {@code [..., m, k] × [..., k, n]} → {@code [..., m, n]}. */
  T matmul(T a, T b);

  /** Element-wise sum of two tensors of one shape. */
  T add(T a, T b);

  /** Every element times {@code factor}. */
  T scale(T x, float factor);

  /** Layer norm on the last axis ({@code torch.nn.LayerNorm}): biased variance, then {@code × weight + bias}. */
  T layerNorm(T x, T weight, T bias, double epsilon);

  /** The exact GELU {@code x/2 · (1 + erf(x/√2))} element-wise, as {@code torch.nn.functional.gelu}. */
  T gelu(T x);

  /** {@code max(0, x)} element-wise. */
  T relu(T x);

  /** Hyperbolic tangent element-wise. */
  T tanh(T x);

  /** Softmax on the last axis. */
  T softmax(T x);

  /** Rows of {@code table [rows, width]} at integer {@code indices [...]} (any shape) → {@code [..., width]}. */
  T gather(T table, T indices);

  /** The position of each token of {@code ids [batch, sequence]}: {@code 0 .. sequence-1} in each row, same shape. */
  T positions(T ids);

  /** Splits the last axis into {@code parts} (attention heads): {@code [..., n]} → {@code [..., parts, n/parts]}. */
  T splitLastAxis(T x, int parts);

  /** Joins the last two axes: {@code [..., a, b]} → {@code [..., a · b]}. */
  T mergeLastAxes(T x);

  /** Reorders the axes: axis {@code i} of the result is axis {@code permutation[i]} of {@code x}. */
  T permute(T x, int... permutation);

  /**
   * Attention scores {@code [batch, heads, queries, keys]} with every key that {@code attentionMask} {@code [batch,
   * keys]} marks 0 made so negative (the lowest float, set or added as {@code transformers} adds it) that {@link
   * #softmax} gives padding no weight.
   */
  T maskKeys(T scores, T attentionMask);

  /**
   * Training-time dropout ({@code torch.nn.functional.dropout} in training mode): each element zeroed with
   * probability {@code rate}, the others scaled by {@code 1 / (1 - rate)}, drawn from the engine's seeded generator.
   * Only {@link Network#forwardTraining} calls it, and never with rate 0; engines that only infer keep this default.
   *
   * @throws UnsupportedOperationException if the engine does not train
   */
  default T dropout(T x, double rate) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " runs networks for inference only");
  }

  /** The slice at {@code index} along {@code axis}, which disappears: {@code x.select(axis, index)} in PyTorch. */
  T select(T x, int axis, int index);
}
