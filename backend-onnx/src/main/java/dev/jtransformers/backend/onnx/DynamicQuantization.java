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
import java.util.HashSet;
import java.util.LinkedHashMap;
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
 * <p>The file is rewritten in place, field by field ({@link GraphProtos}).
 */
final class DynamicQuantization {
  private static final int INT8_MAX = 127;

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

  private DynamicQuantization() {}

  /**
   * Quantises the model's matrix weights.
   *
   * @param model the ONNX file's bytes
   * @param source the file's name, for messages
   * @throws ModelLoadException naming {@code source}, if it is not an ONNX model or has no MatMul with a float
   *     weight to quantise
   */
  static Result quantize(byte[] model, String source) {
    try {
      // The caller's array is not written to while this runs, so every field read below is a view of it, not a copy.
      return rewriteModel(UnsafeByteOperations.unsafeWrap(model), source);
    } catch (IOException e) {
      throw new ModelLoadException(source + ": not a valid ONNX file (" + e.getMessage() + ")", e);
    }
  }

  private static Result rewriteModel(ByteString model, String source) throws IOException {
    Result[] graph = new Result[1];
    byte[] rewritten = GraphProtos.rewriteModel(model, source, bytes -> {
      graph[0] = rewriteGraph(bytes, source);
      return graph[0].model();
    });
    return new Result(rewritten, graph[0].quantizedWeights(), graph[0].quantizedParameters());
  }

  private static Result rewriteGraph(ByteString graph, String source) throws IOException {
    List<Node> nodes = new ArrayList<>();
    Map<String, Initializer> initializers = new LinkedHashMap<>();
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
        graphValues.add(string(in.readBytes(), VALUE_INFO_NAME));
      } else {
        in.skipField(tag);
      }
    }
    Set<String> weights = quantizableWeights(nodes, initializers, graphValues);
    if (weights.isEmpty()) {
      throw new ModelLoadException(source + ": no MatMul with a float32 matrix initializer as its weight, so nothing"
          + " to quantise (is it quantised already?)");
    }
    Set<String> names = new HashSet<>(initializers.keySet());
    nodes.forEach(node -> names.addAll(node.outputs()));

    ByteArrayOutputStream bytes = new ByteArrayOutputStream(graph.size() / 3);
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    in = reader(graph);
    int nodeIndex = 0;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      int field = WireFormat.getTagFieldNumber(tag);
      if (field == GRAPH_NODE && isLengthDelimited(tag)) {
        in.skipField(tag);
        Node node = nodes.get(nodeIndex++);
        boolean quantized = isPlainMatMul(node) && weights.contains(node.inputs().get(1));
        out.writeBytes(GRAPH_NODE, quantized ? quantizedMatMul(node) : node.bytes());
      } else if (field == GRAPH_INITIALIZER && isLengthDelimited(tag)) {
        ByteString initializer = in.readBytes();
        if (!weights.contains(string(initializer, TENSOR_NAME))) {
          out.writeBytes(GRAPH_INITIALIZER, initializer);
        }
      } else {
        in.skipField(tag, out);
      }
    }
    long parameters = 0;
    for (String weight : weights) {
      Initializer matrix = initializers.get(weight);
      for (String suffix : List.of("_quantized", "_scale", "_zero_point")) {
        if (names.contains(weight + suffix)) {
          throw new ModelLoadException(source + ": the graph already has a value named '" + weight + suffix
              + "', which quantising '" + weight + "' would add");
        }
      }
      parameters += writeQuantized(out, matrix);
    }
    out.flush();
    return new Result(bytes.toByteArray(), weights.size(), parameters);
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
  private static ByteString quantizedMatMul(Node matMul) throws IOException {
    String weight = matMul.inputs().get(1);
    return GraphProtos.node(
        List.of(matMul.inputs().get(0), weight + "_quantized", weight + "_scale", weight + "_zero_point"),
        matMul.outputs(), matMul.name(), "DynamicQuantizeMatMul", MICROSOFT_DOMAIN, List.of());
  }

  /**
   * The weight {@code [K, N]} as int8 with one scale per column {@code n}: {@code max |W[:, n]| / 127}, values
   * rounded to the nearest step; a column of zeros gets scale 1. Returns how many weights it quantised.
   */
  private static int writeQuantized(CodedOutputStream out, Initializer matrix) throws IOException {
    int rows = Math.toIntExact(matrix.dims()[0]);
    int columns = Math.toIntExact(matrix.dims()[1]);
    float[] w = matrix.values();
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
    ByteBuffer scaleBytes = ByteBuffer.allocate(columns * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    scaleBytes.asFloatBuffer().put(scales);
    String name = matrix.name();
    out.writeByteArray(GRAPH_INITIALIZER, tensor(name + "_quantized", new long[] {rows, columns}, INT8, quantized));
    out.writeByteArray(GRAPH_INITIALIZER, tensor(name + "_scale", new long[] {columns}, FLOAT, scaleBytes.array()));
    out.writeByteArray(GRAPH_INITIALIZER, tensor(name + "_zero_point", new long[] {columns}, INT8, new byte[columns]));
    return w.length;
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
