package dev.jtransformers.architectures;

import dev.jtransformers.api.ModelLoadException;
import dev.jtransformers.api.Tensor;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** {@link Weights} held in memory as float32 tensors. */
final class TensorWeights implements Weights {
  private final Path origin;
  private final Map<String, Tensor> tensors;

  TensorWeights(Path origin, Map<String, Tensor> tensors) {
    this.origin = Objects.requireNonNull(origin, "origin");
    this.tensors = Map.copyOf(tensors);
  }

  @Override
  public Path path() {
    return origin;
  }

  @Override
  public Set<String> names() {
    return tensors.keySet();
  }

  @Override
  public int[] shape(String name) {
    return tensor(name).shape();
  }

  @Override
  public String dtype(String name) {
    tensor(name);
    return "F32";
  }

  @Override
  public boolean readableAsFloat(String name) {
    return true;
  }

  @Override
  public Tensor read(String name) {
    return tensor(name);
  }

  private Tensor tensor(String name) {
    Tensor tensor = tensors.get(name);
    if (tensor == null) {
      throw new ModelLoadException(origin + " has no tensor " + name);
    }
    return tensor;
  }

  @Override
  public String toString() {
    return "Weights[" + origin + ", " + tensors.size() + " tensors]";
  }
}
