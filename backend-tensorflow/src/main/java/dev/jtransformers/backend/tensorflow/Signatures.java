package dev.jtransformers.backend.tensorflow;

import dev.jtransformers.api.ModelLoadException;
import dev.jtransformers.architectures.NetworkSpec;
import dev.jtransformers.architectures.TaskHead;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tensorflow.Signature;
import org.tensorflow.proto.DataType;

/** Reads a {@link Signature} as a {@link TensorFlowModel} runs it: which tensors to feed, and what to fetch. */
final class Signatures {
  /** The inputs a model can be fed, by the names signatures give them. */
  private static final List<String> FEEDABLE =
      List.of(NetworkSpec.INPUT_IDS, NetworkSpec.ATTENTION_MASK, NetworkSpec.TOKEN_TYPE_IDS);

  private Signatures() {}

  /**
   * The signature's inputs, each an int32 or int64 {@code [batch, sequence]} tensor named as {@link #FEEDABLE}.
   *
   * @param where the model, for messages
   * @throws ModelLoadException naming the model and the input, if it takes one that can't be fed
   */
  static List<TensorFlowModel.Input> inputs(Signature signature, String where) {
    List<TensorFlowModel.Input> inputs = new ArrayList<>();
    signature.getInputs().forEach((name, description) -> {
      if (!FEEDABLE.contains(name)) {
        throw new ModelLoadException(
            where + " takes input '" + name + "', which this backend cannot feed; it feeds " + FEEDABLE
                + "; the signature takes " + signature.inputNames());
      }
      boolean int32 = description.dataType == DataType.DT_INT32;
      int rank = description.shape.numDimensions();
      if (!int32 && description.dataType != DataType.DT_INT64 || rank != 2 && rank != -1) {
        throw new ModelLoadException(
            where + ": input '" + name + "' must be an int64 or int32 [batch, sequence] tensor, found "
                + description.dataType + " " + description.shape);
      }
      long[] shape = rank == 2 ? description.shape.asArray() : new long[] {-1, -1};
      inputs.add(new TensorFlowModel.Input(name, description.name, int32, shape));
    });
    if (inputs.stream().noneMatch(input -> input.name().equals(NetworkSpec.INPUT_IDS))) {
      throw new ModelLoadException(where + " takes no input_ids; the signature takes " + signature.inputNames());
    }
    return inputs;
  }

  /**
   * The signature's float outputs, each output's name keyed by the graph tensor it is fetched from: as the
   * signature names them, or as {@code head} names a model's outputs ({@link TaskHead#assignOutputNames}).
   *
   * @throws ModelLoadException naming the model, if it has no float output
   */
  static Map<String, String> floatOutputs(Signature signature, Optional<TaskHead> head, String where) {
    List<String> names = new ArrayList<>();
    Map<String, String> tensors = new LinkedHashMap<>();
    signature.getOutputs().forEach((name, description) -> {
      if (description.dataType == DataType.DT_FLOAT) {
        names.add(name);
        tensors.put(name, description.name);
      }
    });
    if (names.isEmpty()) {
      throw new ModelLoadException(where + " has no float32 output; its signature: " + signature);
    }
    Map<String, String> outputNames =
        head.map(h -> h.assignOutputNames(names)).orElseGet(() -> identity(names));
    Map<String, String> outputs = new LinkedHashMap<>();
    outputNames.forEach((name, outputName) -> outputs.put(tensors.get(name), outputName));
    return outputs;
  }

  private static Map<String, String> identity(List<String> names) {
    Map<String, String> same = new LinkedHashMap<>();
    names.forEach(name -> same.put(name, name));
    return same;
  }
}
