package dev.jtransformers.backend.tensorflow;

import dev.jtransformers.api.ModelLoadException;
import dev.jtransformers.architectures.Network;
import dev.jtransformers.architectures.PeftAdapter;
import dev.jtransformers.architectures.NetworkSpec;
import dev.jtransformers.models.ModelConfig;
import dev.jtransformers.spi.LoadRequest;
import dev.jtransformers.spi.ModelFormat;
import dev.jtransformers.api.Tensor;
import java.nio.file.Path;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.tensorflow.DeviceSpec;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * A checkpoint's network ({@code model.safetensors} read as {@code config.json} describes it) built once into a
 * TensorFlow graph by the neutral forward pass ({@link Network}) over {@link GraphOps}: an int64 {@code [batch,
 * sequence]} placeholder per input, the weights as variables, and one node per output, each named as the network
 * names it ({@code input_ids}, {@code logits}, ...). Owns its graph; {@link #openSession} loads the weights into
 * the one session it runs in.
 */
final class BuiltInGraph implements AutoCloseable {
  private final Graph graph;
  private final Path file;
  private final Map<String, Placeholder<TInt64>> inputs;
  private final Map<String, Operand<TFloat32>> outputs;
  /** The checkpoint's weights until {@link #openSession} loads them; then none, so the heap does not keep them. */
  private List<GraphOps.Weight> weights;

  private BuiltInGraph(
      Graph graph,
      Path file,
      Map<String, Placeholder<TInt64>> inputs,
      Map<String, Operand<TFloat32>> outputs,
      List<GraphOps.Weight> weights) {
    this.graph = graph;
    this.file = file;
    this.inputs = inputs;
    this.outputs = outputs;
    this.weights = weights;
  }

  /**
   * Builds the network of a request whose format holds weights ({@link Network#WEIGHT_FORMATS}: safetensors, or an
   * ONNX export's initializers).
   *
   * @param device where the graph's nodes are placed; empty lets TensorFlow choose (an export runs anywhere)
   * @throws ModelLoadException naming the file, if the directory has no checkpoint, no configuration, or one the
   *     architectures do not describe or the weights do not fit
   */
  static BuiltInGraph build(LoadRequest request, Optional<DeviceSpec> device) {
    Path file = request.format().require(request.modelDirectory());
    if (request.config().isEmpty()) {
      throw new ModelLoadException(
          "no configuration for " + file + ": a " + request.format() + " model needs its " + ModelConfig.FILE_NAME);
    }
    NetworkSpec spec;
    try {
      spec = NetworkSpec.of(ModelConfig.fromMap(request.config()));
    } catch (ModelLoadException e) {
      throw new ModelLoadException(request.modelDirectory() + ": " + e.getMessage(), e);
    }
    Graph graph = new Graph();
    try {
      Ops root = Ops.create(graph);
      Ops tf = device.map(root::withDevice).orElse(root);
      GraphOps ops = new GraphOps(tf);
      Map<String, Placeholder<TInt64>> placeholders = new LinkedHashMap<>();
      Map<String, Operand<TFloat32>> networkInputs = new LinkedHashMap<>();
      for (String name : spec.inputNames()) {
        Placeholder<TInt64> placeholder =
            tf.withName(name).placeholder(TInt64.class, Placeholder.shape(Shape.of(-1, -1)));
        placeholders.put(name, placeholder);
        networkInputs.put(name, ops.indices(placeholder));
      }
      Map<String, Operand<TFloat32>> outputs = new LinkedHashMap<>();
      Network.load(spec, ops, request.format(), file, request.adapter().map(PeftAdapter::read))
          .forward(networkInputs)
          .forEach((name, output) -> outputs.put(name, tf.withName(name).identity(output)));
      return new BuiltInGraph(graph, file, placeholders, outputs, ops.weights());
    } catch (RuntimeException e) {
      graph.close();
      throw e;
    }
  }

  /**
   * A session on the graph with the checkpoint's weights in its variables; once per graph. The caller closes it
   * before the graph.
   *
   * @throws IllegalStateException if a session was opened already
   * @throws org.tensorflow.exceptions.TensorFlowException if TensorFlow can't create it or hold the weights
   */
  synchronized Session openSession(ConfigProto config) {
    if (weights == null) {
      throw new IllegalStateException("a session of " + file + " was opened already");
    }
    Session session = new Session(graph, config);
    try {
      for (GraphOps.Weight weight : weights) { // one at a time: native memory holds one copy of one weight
        Tensor values = weight.value();
        try (TFloat32 value = TFloat32.tensorOf(GraphOps.shape(values), DataBuffers.of(values.toFloatArray(), true, false))) {
          session.runner().feed(weight.placeholder(), value).addTarget(weight.assign()).run().close();
        }
      }
    } catch (RuntimeException e) {
      session.close();
      throw e;
    }
    weights = null;
    return session;
  }

  /** The checkpoint the graph was built from, for messages. */
  Path file() {
    return file;
  }

  /**
   * The graph's {@code serving_default} signature: the inputs and outputs under their names, as TensorFlow Serving
   * and Python's {@code tf.saved_model.load} call them.
   */
  Signature signature() {
    Signature.Builder signature = Signature.builder().key(Signature.DEFAULT_KEY);
    inputs.forEach(signature::input);
    outputs.forEach(signature::output);
    return signature.build();
  }

  @Override
  public void close() {
    graph.close();
  }
}
