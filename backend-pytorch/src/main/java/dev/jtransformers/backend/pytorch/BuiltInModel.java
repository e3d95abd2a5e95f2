package dev.jtransformers.backend.pytorch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.jtransformers.architectures.Network;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** A built-in network ({@link Network} over {@link NdArrayOps}) whose weights live in the model's manager. */
final class BuiltInModel extends LibTorchModel {
  private final Network<NDArray> network;
  private final Set<String> outputNames;

  BuiltInModel(NDManager manager, Path file, Network<NDArray> network) {
    super(manager, file, network.spec().inputNames());
    this.network = network;
    this.outputNames = Collections.unmodifiableSet(new LinkedHashSet<>(network.spec().outputNames()));
  }

  @Override
  Map<String, NDArray> run(Map<String, NDArray> inputs) {
    return network.forward(inputs);
  }

  @Override
  public Set<String> outputNames() {
    return outputNames;
  }
}
