package dev.jtransformers.backend.pytorch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import dev.jtransformers.api.BackendException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A TorchScript module traced from a Hugging Face model: positional inputs in {@link
 * dev.jtransformers.architectures.NetworkSpec#inputNames()} order, a tuple of outputs named by position with the
 * checkpoint's task head's names ({@link dev.jtransformers.architectures.TaskHead#assignOutputNames}), in inference
 * mode (no autograd).
 */
final class TorchScriptModel extends LibTorchModel {
  private final PtSymbolBlock module;
  private final List<String> outputs; // by tuple position
  private final Set<String> outputNames;

  /**
   * @param outputNames the name of each output, by tuple position
   */
  TorchScriptModel(
      NDManager manager, Path file, List<String> inputNames, PtSymbolBlock module, List<String> outputNames) {
    super(manager, file, inputNames);
    this.module = module;
    this.outputs = List.copyOf(outputNames);
    this.outputNames = Collections.unmodifiableSet(new LinkedHashSet<>(outputNames));
  }

  /** The module's outputs for {@code inputs}, unnamed, in tuple order; for the load-time probe that counts them. */
  static NDList forward(PtSymbolBlock module, Map<String, NDArray> inputs) {
    return IValueUtils.forward(module, new NDList(new ArrayList<>(inputs.values())), false);
  }

  @Override
  Map<String, NDArray> run(Map<String, NDArray> inputs) {
    NDList results = forward(module, inputs);
    if (results.size() != outputs.size()) {
      throw new BackendException(
          file() + " returned " + results.size() + " outputs, " + outputs.size() + " when it was loaded");
    }
    Map<String, NDArray> named = new LinkedHashMap<>();
    for (int i = 0; i < outputs.size(); i++) {
      named.put(outputs.get(i), results.get(i));
    }
    return named;
  }

  @Override
  public Set<String> outputNames() {
    return outputNames;
  }
}
