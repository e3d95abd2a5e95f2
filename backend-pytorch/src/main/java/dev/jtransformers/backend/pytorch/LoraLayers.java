package dev.jtransformers.backend.pytorch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import dev.jtransformers.api.Tensor;
import dev.jtransformers.architectures.LoraConfig;
import dev.jtransformers.architectures.NetworkSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * The trainable LoRA matrices of a network's targeted linear layers, keyed by the layer's weight name, initialised
 * as {@code peft} initialises them: {@code A} Kaiming-uniform with {@code a = √5} (uniform in {@code ±1/√inputs}),
 * {@code B} zero, so that training starts from the base model. The adapter's dropout applies while {@link
 * #training} is on, which the one thread that trains sets around its training forward passes.
 */
final class LoraLayers {
  /** No adapters. */
  static final LoraLayers NONE = new LoraLayers(Map.of(), 0, 0);

  /** One layer's adapter: {@code A [rank, inputs]}, {@code B [outputs, rank]}, both trainable. */
  record Adapter(String module, NDArray a, NDArray b) {}

  private final Map<String, Adapter> byWeight;
  private final double dropout;
  private final float scaling;
  private volatile boolean training;

  private LoraLayers(Map<String, Adapter> byWeight, double dropout, double scaling) {
    this.byWeight = Map.copyOf(byWeight);
    this.dropout = dropout;
    this.scaling = (float) scaling;
  }

  /** Fresh adapters, in {@code manager}, on the layers of {@code spec} that {@code config} targets. */
  static LoraLayers create(NetworkSpec spec, LoraConfig config, NDManager manager, Random random) {
    Map<String, Adapter> byWeight = new LinkedHashMap<>();
    int rank = config.rank();
    for (dev.jtransformers.architectures.Linear linear : config.targets(spec)) {
      String module = LoraConfig.modulePath(linear);
      float bound = (float) (1 / Math.sqrt(linear.inputs()));
      float[] a = new float[rank * linear.inputs()];
      for (int i = 0; i < a.length; i++) {
        a[i] = (random.nextFloat() * 2 - 1) * bound;
      }
      NDArray aArray = trainable(manager, module + ".lora_A.weight", a, rank, linear.inputs());
      NDArray bArray = trainable(manager, module + ".lora_B.weight", new float[linear.outputs() * rank],
          linear.outputs(), rank);
      byWeight.put(linear.weight().name(), new Adapter(module, aArray, bArray));
    }
    return new LoraLayers(byWeight, config.dropout(), config.scaling());
  }

  private static NDArray trainable(NDManager manager, String name, float[] values, int rows, int columns) {
    NDArray array = manager.create(values, new Shape(rows, columns));
    array.setName(name);
    array.setRequiresGradient(true);
    return array;
  }

  /** The adapters by the adapted layer's weight name. */
  Map<String, Adapter> adapters() {
    return byWeight;
  }

  /** Turns the adapters' dropout on (training forward passes) or off. */
  void training(boolean on) {
    training = on;
  }

  /** {@code scaling · dropout(x) A^T B^T} if the layer of weight {@code weightName} is adapted. */
  Optional<NDArray> path(String weightName, NDArray x) {
    Adapter adapter = byWeight.get(weightName);
    if (adapter == null) {
      return Optional.empty();
    }
    NDArray in = training && dropout > 0 ? Dropout.dropout(x, (float) dropout, true).singletonOrThrow() : x;
    NDArray low = Linear.linear(in, adapter.a(), null).singletonOrThrow();
    return Optional.of(Linear.linear(low, adapter.b(), null).singletonOrThrow().mul(scaling));
  }

  /** The adapter matrices as tensors, {@code A} and {@code B} by module path. */
  Map<String, Tensor> copies(boolean a) {
    Map<String, Tensor> copies = new LinkedHashMap<>();
    byWeight.values().forEach(adapter -> copies.put(adapter.module(), Tensors.copy(a ? adapter.a() : adapter.b())));
    return copies;
  }
}
