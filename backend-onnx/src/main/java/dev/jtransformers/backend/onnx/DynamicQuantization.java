package dev.jtransformers.backend.onnx;

import static dev.jtransformers.architectures.OnnxProto.EXTERNAL;
import static dev.jtransformers.architectures.OnnxProto.FLOAT;
import static dev.jtransformers.architectures.OnnxProto.GRAPH_INITIALIZER;
import static dev.jtransformers.architectures.OnnxProto.GRAPH_INPUT;
import static dev.jtransformers.architectures.OnnxProto.GRAPH_NODE;
import static dev.jtransformers.architectures.OnnxProto.GRAPH_OUTPUT;
import static dev.jtransformers.architectures.OnnxProto.INT8;
import static dev.jtransformers.architectures.OnnxProto.TENSOR_DATA_LOCATION;
import static dev.jtransformers.architectures.OnnxProto.TENSOR_DATA_TYPE;
import static dev.jtransformers.architectures.OnnxProto.TENSOR_DIMS;
import static dev.jtransformers.architectures.OnnxProto.TENSOR_FLOAT_DATA;
import static dev.jtransformers.architectures.OnnxProto.TENSOR_NAME;
import static dev.jtransformers.architectures.OnnxProto.TENSOR_RAW_DATA;
import static dev.jtransformers.architectures.OnnxProto.VALUE_INFO_NAME;
import static dev.jtransformers.backend.onnx.GraphProtos.MICROSOFT_DOMAIN;
import static dev.jtransformers.backend.onnx.GraphProtos.isLengthDelimited;
import static dev.jtransformers.backend.onnx.GraphProtos.reader;
import static dev.jtransformers.backend.onnx.GraphProtos.repeated;
import static dev.jtransformers.backend.onnx.GraphProtos.string;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.UnsafeByteOperations;
import com.google.protobuf.WireFormat;
import dev.jtransformers.api.ModelLoadException;
import dev.jtransformers.backend.onnx.GraphProtos.Node;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Dynamic int8 quantisation of an ONNX graph, as ONNX Runtime's {@code quantize_dynamic} does it: every {@code
 * MatMul} whose second input is a float32 matrix initializer (a linear layer's weight) becomes ONNX Runtime's {@code
 * com.microsoft.DynamicQuantizeMatMul}, which quantises its activations to uint8 per call and multiplies them with the
 * weight stored as int8. Weights are quantised symmetrically per output column (one scale per column, zero point 0),
 * which keeps a column with small weights as precise as one with large ones. Everything else — the other nodes,
 * initializers, inputs, outputs and metadata — is copied unchanged, field by field, from the protocol buffer.
 *
 * <p>Given the largest magnitude each input channel of an activation reaches on sample inputs, the activation is
 * smoothed first (SmoothQuant, Xiao et al. 2023): its activations take one scale for the whole tensor, so a few
 * channels of wide range leave the others few steps. Channel {@code k} is divided by {@code s[k] = a[k]^0.75 /
 * w[k]^0.25} ({@code a}: its activation range, {@code w}: its row's largest weight over the MatMuls reading it) in a
 * {@code Mul} ahead of them, and the weights' row {@code k} multiplied by it, which the per-column weight scales
 * absorb: the float product is unchanged and the activations' ranges evened out.
 *
 * <p>Where the graph takes {@code input_ids} and {@code attention_mask}, padded positions read the row's last real
 * token instead of the pad id ({@link PaddingFill}), so that padding does not widen a batch's activation range.
 *
 * <p>The file is rewritten in place, field by field ({@link GraphProtos}).
 */
final class DynamicQuantization {
  private static final int INT8_MAX = 127;
  /**
   * How much of an activation channel's range moves into the weights. all-MiniLM-L6-v2 calibrated on the default
   * sentences ({@code ModelExports}), least cosine to fp32 of 2,000 SST-2 · 3,000 STS-B dev sentences: 0.65 0.9902 ·
   * 0.9894; 0.7 0.9917 · 0.9885; 0.75 0.9914 · 0.9919; 0.8 0.9901 · 0.9876. Without smoothing 116 STS-B sentences fall
   * below 0.99.
   */
  private static final double MIGRATION = 0.75;
  /** Suffixes of what smoothing adds for an activation: the inverse factors, and the smoothed activation. */
  private static final String SMOOTHING = "_smoothing";
  private static final String SMOOTHED = "_smoothed";
  /** The graph inputs padding is filled from, by their Hugging Face names, and the ids the graph reads instead. */
  private static final String IDS = ModelInput.INPUT_IDS.graphName();
  private static final String MASK = ModelInput.ATTENTION_MASK.graphName();
  private static final String FILLED_IDS = IDS + "_padding_filled";

  /** What the rewrite did: the graph's bytes, and how many weights it quantised of how many parameters. */
  record Result(byte[] model, int quantizedWeights, long quantizedParameters) {}

  /**
   * An initializer, parsed as far as a float matrix needs: its values as stored, {@code raw_data} (a view of the
   * file's bytes, null if absent) or {@code float_data}.
   */
  private record Initializer(String name, long[] dims, int dataType, ByteString raw, List<Float> floats) {
    boolean isFloatMatrix() {
      return dataType == FLOAT && dims.length == 2 && count() == dims[0] * dims[1];
    }

    /** The float32 values, decoded: only for the matrices being quantised. */
    float[] values() {
      float[] values = new float[count()];
      if (raw != null) {
        raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
      } else {
        for (int i = 0; i < values.length; i++) {
          values[i] = floats.get(i);
        }
      }
      return values;
    }

    private int count() {
      return raw != null ? raw.size() / Float.BYTES : floats.size();
    }
  }

  /** What the rewrite reads of a graph: its nodes in order, its initializers, its inputs' and outputs' names. */
  private record Graph(List<Node> nodes, Map<String, Initializer> initializers, Set<String> inputs,
      Set<String> graphValues) {
    /** The MatMuls to quantise, in graph order (two may read one weight). */
    List<Node> quantizedMatMuls() {
      Set<String> weights = quantizableWeights(nodes, initializers, graphValues);
      return nodes.stream().filter(node -> isPlainMatMul(node) && weights.contains(node.inputs().get(1))).toList();
    }
  }

  private DynamicQuantization() {}

  /**
   * The activations the quantised MatMuls read, in graph order: what {@link #quantize} can smooth, given their ranges.
   *
   * @throws ModelLoadException naming {@code source}, if it is not an ONNX model
   */
  static Set<String> quantizedInputs(byte[] model, String source) {
    try {
      Graph graph = parseGraph(GraphProtos.graph(UnsafeByteOperations.unsafeWrap(model), source), source);
      Set<String> inputs = new LinkedHashSet<>();
      graph.quantizedMatMuls().forEach(matMul -> inputs.add(matMul.inputs().get(0)));
      inputs.removeAll(graph.graphValues()); // a graph's own input or output: not measured, as it is
      return inputs;
    } catch (IOException e) {
      throw new ModelLoadException(source + ": not a valid ONNX file (" + e.getMessage() + ")", e);
    }
  }

  /**
   * Quantises the model's matrix weights, smoothing the activations that {@code inputRanges} gives ranges for.
   *
   * @param model the ONNX file's bytes
   * @param source the file's name, for messages
   * @param inputRanges for activations of {@link #quantizedInputs}, the largest magnitude each channel (last axis)
   *     reached on sample inputs; those without are quantised as they are
   * @throws ModelLoadException naming {@code source}, if it is not an ONNX model or has no MatMul with a float
   *     weight to quantise
   * @throws IllegalArgumentException naming the activation, if a range has not one value per channel
   */
  static Result quantize(byte[] model, String source, Map<String, float[]> inputRanges) {
    try {
      // The caller's array is not written to while this runs, so every field read below is a view of it, not a copy.
      ByteString bytes = UnsafeByteOperations.unsafeWrap(model);
      boolean canFillPadding = GraphProtos.defaultOpsetVersion(bytes) >= PaddingFill.MIN_OPSET;
      Result[] graph = new Result[1];
      byte[] rewritten = GraphProtos.rewriteModel(bytes, source, graphBytes -> {
        graph[0] = rewriteGraph(graphBytes, source, inputRanges, canFillPadding);
        return graph[0].model();
      });
      return new Result(rewritten, graph[0].quantizedWeights(), graph[0].quantizedParameters());
    } catch (IOException e) {
      throw new ModelLoadException(source + ": not a valid ONNX file (" + e.getMessage() + ")", e);
    }
  }

  private static Graph parseGraph(ByteString graph, String source) throws IOException {
    List<Node> nodes = new ArrayList<>();
    Map<String, Initializer> initializers = new LinkedHashMap<>();
    Set<String> inputs = new HashSet<>();
    Set<String> graphValues = new HashSet<>(); // inputs and outputs: an initializer named there stays as it is
    CodedInputStream in = reader(graph);
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      int field = WireFormat.getTagFieldNumber(tag);
      if (field == GRAPH_NODE && isLengthDelimited(tag)) {
        nodes.add(GraphProtos.node(in.readBytes()));
      } else if (field == GRAPH_INITIALIZER && isLengthDelimited(tag)) {
        Initializer initializer = initializer(in.readBytes(), source);
        initializers.put(initializer.name(), initializer);
      } else if ((field == GRAPH_INPUT || field == GRAPH_OUTPUT) && isLengthDelimited(tag)) {
        String name = string(in.readBytes(), VALUE_INFO_NAME);
        graphValues.add(name);
        if (field == GRAPH_INPUT) {
          inputs.add(name);
        }
      } else {
        in.skipField(tag);
      }
    }
    return new Graph(nodes, initializers, inputs, graphValues);
  }

  private static Result rewriteGraph(ByteString bytes, String source, Map<String, float[]> inputRanges,
      boolean canFillPadding) throws IOException {
    Graph graph = parseGraph(bytes, source);
    List<Node> matMuls = graph.quantizedMatMuls();
    if (matMuls.isEmpty()) {
      throw new ModelLoadException(source + ": no MatMul with a float32 matrix initializer as its weight, so nothing"
          + " to quantise (is it quantised already?)");
    }
    Set<String> names = new HashSet<>(graph.initializers().keySet());
    graph.nodes().forEach(node -> names.addAll(node.outputs()));
    Set<String> quantized = new LinkedHashSet<>(); // the weights
    matMuls.forEach(matMul -> quantized.add(matMul.inputs().get(1)));
    Map<String, float[]> smoothing = smoothing(matMuls, graph.initializers(), inputRanges); // activation -> s
    Map<String, float[]> rowScales = new HashMap<>(); // weight -> s of the one activation it multiplies
    for (Node matMul : matMuls) {
      if (smoothing.containsKey(matMul.inputs().get(0))) {
        rowScales.put(matMul.inputs().get(1), smoothing.get(matMul.inputs().get(0)));
      }
    }
    boolean fillPadding = canFillPadding && graph.inputs().contains(IDS) && graph.inputs().contains(MASK);
    List<ByteString> fill = fillPadding ? PaddingFill.nodes(IDS, MASK, FILLED_IDS) : List.of();
    List<String> added = addedNames(quantized, smoothing.keySet());
    for (ByteString fillNode : fill) {
      added.addAll(GraphProtos.node(fillNode).outputs());
    }
    for (String name : added) {
      if (names.contains(name)) {
        throw new ModelLoadException(source + ": the graph already has a value named '" + name
            + "', which quantising it would add");
      }
    }

    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.size() / 3);
    CodedOutputStream coded = CodedOutputStream.newInstance(out);
    Set<String> smoothed = new HashSet<>();
    CodedInputStream in = reader(bytes);
    int nodeIndex = 0;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      int field = WireFormat.getTagFieldNumber(tag);
      if (field == GRAPH_NODE && isLengthDelimited(tag)) {
        in.skipField(tag);
        if (nodeIndex == 0) {
          for (ByteString fillNode : fill) {
            coded.writeBytes(GRAPH_NODE, fillNode);
          }
        }
        Node node = graph.nodes().get(nodeIndex++);
        if (fillPadding && node.inputs().contains(IDS)) {
          coded.writeBytes(GRAPH_NODE, GraphProtos.renameInput(node.bytes(), IDS, FILLED_IDS));
          continue;
        }
        if (!isPlainMatMul(node) || !quantized.contains(node.inputs().get(1))) {
          coded.writeBytes(GRAPH_NODE, node.bytes());
          continue;
        }
        String activation = node.inputs().get(0);
        boolean smooth = smoothing.containsKey(activation);
        if (smooth && smoothed.add(activation)) { // ahead of the first MatMul reading it, where it is computed already
          coded.writeBytes(GRAPH_NODE, GraphProtos.node(List.of(activation, activation + SMOOTHING),
              List.of(activation + SMOOTHED), activation + SMOOTHED, "Mul", "", List.of()));
        }
        coded.writeBytes(GRAPH_NODE, quantizedMatMul(node, smooth ? activation + SMOOTHED : activation));
      } else if (field == GRAPH_INITIALIZER && isLengthDelimited(tag)) {
        ByteString initializer = in.readBytes();
        if (!quantized.contains(string(initializer, TENSOR_NAME))) {
          coded.writeBytes(GRAPH_INITIALIZER, initializer);
        }
      } else {
        in.skipField(tag, coded);
      }
    }
    long parameters = 0;
    for (String weight : quantized) {
      parameters += writeQuantized(coded, graph.initializers().get(weight), rowScales.get(weight));
    }
    for (Map.Entry<String, float[]> activation : smoothing.entrySet()) {
      float[] inverse = new float[activation.getValue().length];
      for (int k = 0; k < inverse.length; k++) {
        inverse[k] = 1 / activation.getValue()[k];
      }
      coded.writeByteArray(GRAPH_INITIALIZER,
          tensor(activation.getKey() + SMOOTHING, new long[] {inverse.length}, FLOAT, littleEndian(inverse)));
    }
    coded.flush();
    return new Result(out.toByteArray(), quantized.size(), parameters);
  }

  /** The values the rewrite adds, which the graph must not have already. */
  private static List<String> addedNames(Set<String> weights, Set<String> smoothedActivations) {
    List<String> added = new ArrayList<>();
    for (String weight : weights) {
      for (String suffix : List.of("_quantized", "_scale", "_zero_point")) {
        added.add(weight + suffix);
      }
    }
    for (String activation : smoothedActivations) {
      added.add(activation + SMOOTHING);
      added.add(activation + SMOOTHED);
    }
    return added;
  }

  /**
   * For each activation with a range, the smoothing factor of each channel {@code k}: {@code a[k]^0.75 / w[k]^0.25},
   * {@code w[k]} the largest weight of row {@code k} over the MatMuls reading it; 1 where either is 0 (a channel
   * nothing passes through). An activation whose MatMuls share a weight with another activation's is not smoothed:
   * one weight can't take two activations' factors.
   */
  private static Map<String, float[]> smoothing(List<Node> matMuls, Map<String, Initializer> initializers,
      Map<String, float[]> inputRanges) {
    Map<String, Set<String>> readers = new HashMap<>(); // weight -> the activations multiplied by it
    matMuls.forEach(matMul ->
        readers.computeIfAbsent(matMul.inputs().get(1), weight -> new HashSet<>()).add(matMul.inputs().get(0)));
    Set<String> sharing = new HashSet<>();
    readers.values().stream().filter(activations -> activations.size() > 1).forEach(sharing::addAll);
    Map<String, float[]> rowMaxima = new LinkedHashMap<>();
    for (Node matMul : matMuls) {
      String activation = matMul.inputs().get(0);
      float[] range = inputRanges.get(activation);
      if (range == null || sharing.contains(activation)) {
        continue;
      }
      Initializer weight = initializers.get(matMul.inputs().get(1));
      if (range.length != weight.dims()[0]) {
        throw new IllegalArgumentException("the range of '" + activation + "' has " + range.length + " channels; "
            + weight.name() + " has " + weight.dims()[0] + " rows");
      }
      float[] maxima = rowMaxima.computeIfAbsent(activation, name -> new float[range.length]);
      float[] w = weight.values();
      int columns = Math.toIntExact(weight.dims()[1]);
      for (int k = 0; k < maxima.length; k++) {
        for (int n = 0; n < columns; n++) {
          maxima[k] = Math.max(maxima[k], Math.abs(w[k * columns + n]));
        }
      }
    }
    Map<String, float[]> factors = new LinkedHashMap<>();
    rowMaxima.forEach((activation, maxima) -> {
      float[] range = inputRanges.get(activation);
      float[] s = new float[maxima.length];
      for (int k = 0; k < s.length; k++) {
        double factor = Math.pow(range[k], MIGRATION) / Math.pow(maxima[k], 1 - MIGRATION);
        s[k] = range[k] > 0 && maxima[k] > 0 && Double.isFinite(factor) ? (float) factor : 1;
      }
      factors.put(activation, s);
    });
    return factors;
  }

  /**
   * The float matrix initializers that only plain MatMuls read, as their second input: quantising them can't change
   * what another node, or a caller feeding a graph input of that name, sees.
   */
  private static Set<String> quantizableWeights(List<Node> nodes, Map<String, Initializer> initializers,
      Set<String> graphValues) {
    Set<String> weights = new HashSet<>();
    Set<String> otherUses = new HashSet<>(graphValues);
    for (Node node : nodes) {
      for (int i = 0; i < node.inputs().size(); i++) {
        String input = node.inputs().get(i);
        if (i == 1 && isPlainMatMul(node) && initializers.containsKey(input)
            && initializers.get(input).isFloatMatrix()) {
          weights.add(input);
        } else {
          otherUses.add(input);
        }
      }
    }
    weights.removeAll(otherUses);
    return weights;
  }

  private static boolean isPlainMatMul(Node node) {
    return node.is("MatMul") && node.inputs().size() == 2;
  }

  /** {@code DynamicQuantizeMatMul(A, B_quantized, B_scale, B_zero_point)} in place of {@code MatMul(A, B)}. */
  private static ByteString quantizedMatMul(Node matMul, String activation) throws IOException {
    String weight = matMul.inputs().get(1);
    return GraphProtos.node(
        List.of(activation, weight + "_quantized", weight + "_scale", weight + "_zero_point"),
        matMul.outputs(), matMul.name(), "DynamicQuantizeMatMul", MICROSOFT_DOMAIN, List.of());
  }

  /**
   * The weight {@code [K, N]}, its rows multiplied by {@code rowScales} if given, as int8 with one scale per column
   * {@code n}: {@code max |W[:, n]| / 127}, values rounded to the nearest step; a column of zeros gets scale 1.
   * Returns how many weights it quantised.
   */
  private static int writeQuantized(CodedOutputStream out, Initializer matrix, float[] rowScales) throws IOException {
    int rows = Math.toIntExact(matrix.dims()[0]);
    int columns = Math.toIntExact(matrix.dims()[1]);
    float[] w = matrix.values();
    if (rowScales != null) {
      for (int k = 0; k < rows; k++) {
        for (int n = 0; n < columns; n++) {
          w[k * columns + n] *= rowScales[k];
        }
      }
    }
    float[] scales = new float[columns];
    for (int k = 0; k < rows; k++) {
      for (int n = 0; n < columns; n++) {
        scales[n] = Math.max(scales[n], Math.abs(w[k * columns + n]));
      }
    }
    for (int n = 0; n < columns; n++) {
      scales[n] = scales[n] == 0 ? 1 : scales[n] / INT8_MAX;
    }
    byte[] quantized = new byte[w.length];
    for (int k = 0; k < rows; k++) {
      for (int n = 0; n < columns; n++) {
        long step = Math.round(w[k * columns + n] / scales[n]);
        quantized[k * columns + n] = (byte) Math.max(-INT8_MAX, Math.min(INT8_MAX, step));
      }
    }
    String name = matrix.name();
    out.writeByteArray(GRAPH_INITIALIZER, tensor(name + "_quantized", new long[] {rows, columns}, INT8, quantized));
    out.writeByteArray(GRAPH_INITIALIZER, tensor(name + "_scale", new long[] {columns}, FLOAT, littleEndian(scales)));
    out.writeByteArray(GRAPH_INITIALIZER, tensor(name + "_zero_point", new long[] {columns}, INT8, new byte[columns]));
    return w.length;
  }

  private static byte[] littleEndian(float[] values) {
    ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(values);
    return bytes.array();
  }

  private static byte[] tensor(String name, long[] dims, int dataType, byte[] raw) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length + name.length() + 16);
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    for (long dim : dims) {
      out.writeInt64(TENSOR_DIMS, dim);
    }
    out.writeInt32(TENSOR_DATA_TYPE, dataType);
    out.writeString(TENSOR_NAME, name);
    out.writeByteArray(TENSOR_RAW_DATA, raw);
    out.flush();
    return bytes.toByteArray();
  }

  private static Initializer initializer(ByteString bytes, String source) throws IOException {
    String name = "";
    List<Long> dims = new ArrayList<>();
    int dataType = 0;
    ByteString raw = null;
    List<Float> floats = new ArrayList<>();
    boolean external = false;
    CodedInputStream in = reader(bytes);
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      int field = WireFormat.getTagFieldNumber(tag);
      switch (field) {
        case TENSOR_DIMS -> repeated(in, tag, () -> dims.add(in.readInt64()));
        case TENSOR_DATA_TYPE -> dataType = in.readInt32();
        case TENSOR_NAME -> name = in.readStringRequireUtf8();
        case TENSOR_RAW_DATA -> raw = in.readBytes();
        case TENSOR_DATA_LOCATION -> external = in.readEnum() == EXTERNAL;
        case TENSOR_FLOAT_DATA -> repeated(in, tag, () -> floats.add(in.readFloat()));
        default -> in.skipField(tag);
      }
    }
    if (external && dataType == FLOAT) {
      throw new ModelLoadException(source + ": initializer '" + name + "' keeps its data in an external file, which"
          + " quantisation does not read");
    }
    return new Initializer(name, dims.stream().mapToLong(Long::longValue).toArray(), dataType, raw, floats);
  }
}
