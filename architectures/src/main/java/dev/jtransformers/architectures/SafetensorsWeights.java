package dev.jtransformers.architectures;

import dev.jtransformers.api.Tensor;
import dev.jtransformers.models.safetensors.SafetensorsFile;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;

/** {@link Weights} that are a safetensors file's tensors, under their stored names. */
final class SafetensorsWeights implements Weights {
  private final SafetensorsFile file;

  SafetensorsWeights(SafetensorsFile file) {
    this.file = Objects.requireNonNull(file, "file");
  }

  @Override
  public Path path() {
    return file.path();
  }

  @Override
  public Set<String> names() {
    return file.names();
  }

  @Override
  public int[] shape(String name) {
    return file.shape(name);
  }

  @Override
  public String dtype(String name) {
    return file.dtype(name).toString();
  }

  @Override
  public boolean readableAsFloat(String name) {
    return file.dtype(name).isReadableAsFloat();
  }

  @Override
  public Tensor read(String name) {
    return file.getFloat(name);
  }

  @Override
  public String toString() {
    return file.toString();
  }
}
