package dev.jtransformers.architectures;

import dev.jtransformers.api.Tensor;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * A checkpoint's weights with an adapter merged in ({@link PeftAdapter#mergeInto}): the tensors it {@linkplain
 * #replaced replaces or adds} come from the adapter, the others from the base, read when asked.
 */
public final class AdaptedWeights implements Weights {
  private final Weights base;
  private final Map<String, Tensor> replaced;

  AdaptedWeights(Weights base, Map<String, Tensor> replaced) {
    this.base = base;
    this.replaced = Map.copyOf(replaced);
  }

  /** The tensors the adapter changes or adds, by name: what an engine that keeps its own copy must override. */
  public Map<String, Tensor> replaced() {
    return replaced;
  }

  @Override
  public Path path() {
    return base.path();
  }

  @Override
  public Set<String> names() {
    Set<String> names = new LinkedHashSet<>(base.names());
    names.addAll(replaced.keySet());
    return names;
  }

  @Override
  public int[] shape(String name) {
    Tensor tensor = replaced.get(name);
    return tensor == null ? base.shape(name) : tensor.shape();
  }

  @Override
  public String dtype(String name) {
    return replaced.containsKey(name) ? "F32" : base.dtype(name);
  }

  @Override
  public boolean readableAsFloat(String name) {
    return replaced.containsKey(name) || base.readableAsFloat(name);
  }

  @Override
  public Tensor read(String name) {
    Tensor tensor = replaced.get(name);
    return tensor == null ? base.read(name) : tensor;
  }

  @Override
  public String toString() {
    return base + " + adapter (" + replaced.size() + " tensors: " + Arrays.toString(replaced.keySet().stream().sorted().limit(3).toArray()) + "...)";
  }
}
