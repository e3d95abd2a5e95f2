package dev.jtransformers.backend.pytorch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import dev.jtransformers.api.Tensor;
import dev.jtransformers.architectures.TensorOps;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The forward pass's operations on DJL {@code NDArray}s, each one libtorch operator ({@code torch.nn.functional}'s
 * linear, layer_norm, gelu, embedding...), so the built-in networks compute what Hugging Face's PyTorch modules
 * compute. Every result belongs to the manager of the activation it is computed from, so that a forward pass whose
 * inputs live in a per-call manager leaves nothing behind in the model's.
 *
 * <p>Parameters are created in the manager given at construction; the {@linkplain #training trainable} ones record
 * gradients (for fine-tuning), the others don't, so inference builds no autograd graph. Linear layers with a {@link
 * LoraLayers LoRA adapter} add its path. Stateless otherwise; thread-safe.
 */
final class NdArrayOps implements TensorOps<NDArray> {
  private final NDManager parameters;
  private final Predicate<String> trainable;
  private final LoraLayers lora;
  /** The trainable parameters made so far, by name; stays empty for inference. */
  private final Map<String, NDArray> trained = new ConcurrentHashMap<>();

  private NdArrayOps(NDManager parameters, Predicate<String> trainable, LoraLayers lora) {
    this.parameters = parameters;
    this.trainable = trainable;
    this.lora = lora;
  }

  /** Operations whose parameters live in {@code parameters} and record no gradients. */
  static NdArrayOps forInference(NDManager parameters) {
    return new NdArrayOps(parameters, name -> false, LoraLayers.NONE);
  }

  /**
   * Operations whose parameters live in {@code parameters} and all record gradients, for training: after a
   * backward pass each of {@link #trainableParameters()} holds its gradient.
   */
  static NdArrayOps trainable(NDManager parameters) {
    return training(parameters, name -> true, LoraLayers.NONE);
  }

  /**
   * Operations for training some parameters: those {@code trainable} accepts record gradients, and the linear
   * layers {@code lora} adapts add its (trainable) path.
   */
  static NdArrayOps training(NDManager parameters, Predicate<String> trainable, LoraLayers lora) {
    return new NdArrayOps(parameters, trainable, lora);
  }

  @Override
  public NDArray parameter(String name, Tensor value) {
    long[] shape = Arrays.stream(value.shape()).asLongStream().toArray();
    NDArray array = parameters.create(value.toFloatArray(), new Shape(shape));
    array.setName(name);
    if (trainable.test(name)) {
      array.setRequiresGradient(true);
      trained.put(name, array);
    }
    return array;
  }

  /** The parameters that record gradients, by checkpoint name; empty for inference. */
  Map<String, NDArray> trainableParameters() {
    return Collections.unmodifiableMap(trained);
  }

  /** With a LoRA adapter on the weight: {@code x W^T + b + scaling · dropout(x) A^T B^T}, as {@code peft} adds it. */
  @Override
  public NDArray linear(NDArray x, NDArray weight, NDArray bias) {
    NDArray y = Linear.linear(x, weight, bias).singletonOrThrow();
    return lora.path(weight.getName(), x).map(y::add).orElse(y);
  }

  @Override
  public NDArray dropout(NDArray x, double rate) {
    return Dropout.dropout(x, (float) rate, true).singletonOrThrow();
  }

  @Override
  public NDArray matmul(NDArray a, NDArray b) {
    return a.matMul(b);
  }

  @Override
  public NDArray add(NDArray a, NDArray b) {
    return a.add(b);
  }

  @Override
  public NDArray scale(NDArray x, float factor) {
    return x.mul(factor);
  }

  @Override
  public NDArray layerNorm(NDArray x, NDArray weight, NDArray bias, double epsilon) {
    Shape width = new Shape(x.getShape().get(x.getShape().dimension() - 1));
    return LayerNorm.layerNorm(x, width, weight, bias, (float) epsilon).singletonOrThrow();
  }

  @Override
  public NDArray gelu(NDArray x) {
    return Activation.gelu(x);
  }

  @Override
  public NDArray relu(NDArray x) {
    return Activation.relu(x);
  }

  @Override
  public NDArray tanh(NDArray x) {
    return x.tanh();
  }

  @Override
  public NDArray softmax(NDArray x) {
    return x.softmax(-1);
  }

  /** The rows belong to the indices' manager: the table is a parameter, the indices the call's input. */
  @Override
  public NDArray gather(NDArray table, NDArray indices) {
    return Embedding.embedding(indices, table, SparseFormat.DENSE).singletonOrThrow();
  }

  @Override
  public NDArray positions(NDArray ids) {
    Shape shape = ids.getShape();
    return ids.getManager().arange(0, shape.get(1), 1, DataType.INT64).broadcast(shape);
  }

  @Override
  public NDArray splitLastAxis(NDArray x, int parts) {
    Shape shape = x.getShape();
    int last = shape.dimension() - 1;
    return x.reshape(shape.slice(0, last).addAll(new Shape(parts, shape.get(last) / parts)));
  }

  @Override
  public NDArray mergeLastAxes(NDArray x) {
    Shape shape = x.getShape();
    int rank = shape.dimension();
    return x.reshape(shape.slice(0, rank - 2).add(shape.get(rank - 2) * shape.get(rank - 1)));
  }

  @Override
  public NDArray permute(NDArray x, int... permutation) {
    return x.transpose(permutation);
  }

  /** Adds the lowest float to the scores of padding keys, as {@code transformers}' extended attention mask does. */
  @Override
  public NDArray maskKeys(NDArray scores, NDArray attentionMask) {
    Shape mask = attentionMask.getShape();
    NDArray penalty = attentionMask.toType(DataType.FLOAT32, false).sub(1).mul(Float.MAX_VALUE);
    return scores.add(penalty.reshape(mask.get(0), 1, 1, mask.get(1)));
  }

  @Override
  public NDArray select(NDArray x, int axis, int index) {
    return x.get(":, ".repeat(axis) + index);
  }
}
