package dev.jtransformers.backend.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.jtransformers.api.BackendException;
import dev.jtransformers.api.BatchEncoding;
import dev.jtransformers.api.Encoding;
import dev.jtransformers.api.InvalidInputException;
import dev.jtransformers.api.Model;
import dev.jtransformers.api.ModelLoadException;
import dev.jtransformers.api.ModelOutput;
import dev.jtransformers.api.Tensor;
import dev.jtransformers.architectures.TaskHead;
import dev.jtransformers.spi.OpenGuard;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * A model running in one ONNX Runtime session, which serves concurrent callers. Feeds the graph's inputs by name
 * ({@code token_type_ids} only if the graph takes it) and returns its float outputs under Hugging Face's names (see
 * {@link TaskHead#assignOutputNames}), copied into {@link Tensor}s: all of them, or only those a caller asks for,
 * which ONNX Runtime then neither copies nor keeps. Inputs are written into direct buffers that ONNX Runtime reads in
 * place, reused from call to call; every native tensor is closed before {@link #forward} returns.
 */
final class OnnxModel implements Model {
  private static final Set<OnnxJavaType> FLOAT_TYPES =
      Set.of(OnnxJavaType.FLOAT, OnnxJavaType.FLOAT16, OnnxJavaType.BFLOAT16);

  /**
   * A graph input and how to feed it.
   *
   * @param shape the declared dimensions, -1 where symbolic
   * @param int32 whether it takes int32 (else int64)
   */
  private record BoundInput(String name, ModelInput source, long[] shape, boolean int32) {
    int bytesPerValue() {
      return int32 ? Integer.BYTES : Long.BYTES;
    }
  }

  private final OrtEnvironment environment;
  private final OrtSession session;
  private final Path file;
  private final List<BoundInput> inputs;
  private final Map<String, String> outputs; // graph name -> output name
  private final Set<String> outputNames;
  /** Initializers the session was given in place of the graph's (a merged adapter); they must outlive it. */
  private final List<OnnxTensor> initializers;
  private final OpenGuard guard;
  private final InputBuffers inputBuffers = new InputBuffers();
  private final int concurrentCalls;

  private OnnxModel(
      OrtEnvironment environment,
      OrtSession session,
      Path file,
      List<BoundInput> inputs,
      Map<String, String> outputs,
      List<OnnxTensor> initializers,
      int concurrentCalls) {
    this.environment = environment;
    this.concurrentCalls = concurrentCalls;
    this.initializers = List.copyOf(initializers);
    this.session = session;
    this.file = file;
    this.guard = new OpenGuard("the model " + file);
    this.inputs = inputs;
    this.outputs = outputs;
    this.outputNames = Collections.unmodifiableSet(new LinkedHashSet<>(outputs.values()));
  }

  /**
   * Wraps a session after checking its graph: every input must be one this backend feeds, of an integer type.
   *
   * @param naming the output names for the graph's float outputs, in their order: the checkpoint's task head's
   *     ({@link TaskHead#assignOutputNames}), or the graph's own
   * @param initializers tensors the session overrides initializers with, closed with the model
   * @param concurrentCalls what {@link #concurrentCalls()} answers
   * @throws ModelLoadException naming the file, if the graph takes inputs this backend can't feed
   */
  static OnnxModel create(OrtEnvironment environment, OrtSession session, Path file,
      Function<List<String>, Map<String, String>> naming, List<OnnxTensor> initializers, int concurrentCalls)
      throws OrtException {
    List<BoundInput> inputs = bindInputs(session.getInputInfo(), file);
    List<String> floatOutputs = new ArrayList<>();
    for (Map.Entry<String, NodeInfo> output : session.getOutputInfo().entrySet()) {
      if (output.getValue().getInfo() instanceof TensorInfo info && FLOAT_TYPES.contains(info.type)) {
        floatOutputs.add(output.getKey());
      }
    }
    if (floatOutputs.isEmpty()) {
      throw new ModelLoadException(file + " has no float tensor output; its outputs: " + session.getOutputInfo());
    }
    return new OnnxModel(environment, session, file, inputs, naming.apply(floatOutputs), initializers, concurrentCalls);
  }

  private static List<BoundInput> bindInputs(Map<String, NodeInfo> graphInputs, Path file) {
    List<BoundInput> inputs = new ArrayList<>();
    for (Map.Entry<String, NodeInfo> entry : graphInputs.entrySet()) {
      String name = entry.getKey();
      ModelInput source =
          ModelInput.named(name)
              .orElseThrow(
                  () ->
                      new ModelLoadException(
                          file + " takes input '" + name + "', which this backend cannot feed; it feeds "
                              + ModelInput.allNames() + "; the graph takes " + graphInputs.keySet()));
      if (!(entry.getValue().getInfo() instanceof TensorInfo info)
          || (info.type != OnnxJavaType.INT64 && info.type != OnnxJavaType.INT32)
          || info.getShape().length != 2) {
        throw new ModelLoadException(
            file + ": input '" + name + "' must be an int64 or int32 [batch, sequence] tensor, found "
                + entry.getValue().getInfo());
      }
      inputs.add(new BoundInput(name, source, info.getShape(), info.type == OnnxJavaType.INT32));
    }
    if (inputs.stream().noneMatch(input -> input.source() == ModelInput.INPUT_IDS)) {
      throw new ModelLoadException(file + " takes no input_ids; the graph takes " + graphInputs.keySet());
    }
    return List.copyOf(inputs);
  }

  @Override
  public ModelOutput forward(BatchEncoding batch) {
    return forward(batch, Set.of());
  }

  @Override
  public ModelOutput forward(BatchEncoding batch, Set<String> requested) {
    Objects.requireNonNull(batch, "batch");
    Objects.requireNonNull(requested, "requested");
    return guard.whileOpen(() -> run(batch, fetched(requested)));
  }

  /** The graph outputs to fetch (graph name to output name): those requested that the model has, else all. */
  private Map<String, String> fetched(Set<String> requested) {
    if (requested.isEmpty()) {
      return outputs;
    }
    Map<String, String> fetched = new LinkedHashMap<>();
    outputs.forEach((graphName, name) -> {
      if (requested.contains(name)) {
        fetched.put(graphName, name);
      }
    });
    return fetched.isEmpty() ? outputs : fetched; // none of ours: the caller will say what it missed
  }

  private ModelOutput run(BatchEncoding batch, Map<String, String> fetched) {
    long[] shape = {batch.size(), batch.sequenceLength()};
    Map<String, OnnxTensor> feed = new LinkedHashMap<>();
    int values = Math.multiplyExact(batch.size(), batch.sequenceLength());
    ByteBuffer buffer = inputBuffers.take(Math.multiplyExact(values, inputs.size() * Long.BYTES));
    try {
      int offset = 0;
      for (BoundInput input : inputs) {
        requireShape(input, shape);
        int bytes = values * input.bytesPerValue();
        ByteBuffer slice = buffer.slice(offset, bytes).order(ByteOrder.nativeOrder());
        feed.put(input.name(), tensor(input, batch, shape, slice));
        offset += bytes;
      }
      try (OrtSession.Result result = session.run(feed, fetched.keySet())) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, String> output : fetched.entrySet()) {
          OnnxValue value =
              result
                  .get(output.getKey())
                  .orElseThrow(() -> new BackendException("ONNX Runtime returned no '" + output.getKey() + "'"));
          tensors.put(output.getValue(), copy((OnnxTensor) value));
        }
        return ModelOutput.of(tensors);
      }
    } catch (OrtException e) {
      throw new BackendException("ONNX Runtime failed running " + file + ": " + e.getMessage(), e);
    } finally {
      feed.values().forEach(OnnxTensor::close);
      inputBuffers.give(buffer); // after the tensors over it are closed
    }
  }

  /** Rejects a batch that a graph with fixed dimensions (e.g. an export for one input of 128 tokens) can't take. */
  private void requireShape(BoundInput input, long[] shape) {
    for (int axis = 0; axis < shape.length; axis++) {
      if (input.shape()[axis] > 0 && input.shape()[axis] != shape[axis]) {
        throw new InvalidInputException(
            file + " takes " + input.name() + " of shape " + Arrays.toString(input.shape()) + " (-1: any), got "
                + Arrays.toString(shape));
      }
    }
  }

  /** The input as a tensor over {@code bytes}, a direct buffer in native order, which ONNX Runtime reads in place. */
  private OnnxTensor tensor(BoundInput input, BatchEncoding batch, long[] shape, ByteBuffer bytes) throws OrtException {
    if (input.int32()) {
      IntBuffer values = bytes.asIntBuffer();
      for (Encoding encoding : batch.encodings()) {
        values.put(input.source().values(encoding));
      }
      return OnnxTensor.createTensor(environment, values.rewind(), shape);
    }
    LongBuffer values = bytes.asLongBuffer();
    for (Encoding encoding : batch.encodings()) {
      for (int value : input.source().values(encoding)) {
        values.put(value);
      }
    }
    return OnnxTensor.createTensor(environment, values.rewind(), shape);
  }

  private static Tensor copy(OnnxTensor tensor) {
    long[] dimensions = tensor.getInfo().getShape();
    int[] shape = new int[dimensions.length];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = Math.toIntExact(dimensions[i]);
    }
    FloatBuffer buffer = tensor.getFloatBuffer(); // a fresh copy, converted from float16 where needed
    float[] values;
    if (buffer.hasArray() && buffer.arrayOffset() == 0 && buffer.array().length == buffer.remaining()) {
      values = buffer.array(); // the copy is ours: take it over instead of copying again
    } else {
      values = new float[buffer.remaining()];
      buffer.get(values);
    }
    return Tensor.wrap(values, shape);
  }

  @Override
  public int concurrentCalls() {
    return concurrentCalls;
  }

  @Override
  public Set<String> outputNames() {
    return outputNames;
  }

  @Override
  public void close() {
    guard.close(() -> {
      try {
        session.close();
        initializers.forEach(OnnxTensor::close);
      } catch (OrtException e) {
        throw new BackendException("ONNX Runtime failed closing the session of " + file + ": " + e.getMessage(), e);
      }
    });
  }

  @Override
  public String toString() {
    return "OnnxModel[" + file + ", outputs " + outputNames + "]";
  }
}
