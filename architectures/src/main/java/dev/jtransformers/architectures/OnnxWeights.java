package dev.jtransformers.architectures;

import static dev.jtransformers.architectures.OnnxProto.EXTERNAL;
import static dev.jtransformers.architectures.OnnxProto.FLOAT;
import static dev.jtransformers.architectures.OnnxProto.GRAPH_INITIALIZER;
import static dev.jtransformers.architectures.OnnxProto.GRAPH_NODE;
import static dev.jtransformers.architectures.OnnxProto.MODEL_GRAPH;
import static dev.jtransformers.architectures.OnnxProto.NODE_INPUT;
import static dev.jtransformers.architectures.OnnxProto.NODE_NAME;
import static dev.jtransformers.architectures.OnnxProto.NODE_OP_TYPE;
import static dev.jtransformers.architectures.OnnxProto.NODE_OUTPUT;
import static dev.jtransformers.architectures.OnnxProto.TENSOR_DATA_LOCATION;
import static dev.jtransformers.architectures.OnnxProto.TENSOR_DATA_TYPE;
import static dev.jtransformers.architectures.OnnxProto.TENSOR_DIMS;
import static dev.jtransformers.architectures.OnnxProto.TENSOR_FLOAT_DATA;
import static dev.jtransformers.architectures.OnnxProto.TENSOR_NAME;
import static dev.jtransformers.architectures.OnnxProto.TENSOR_RAW_DATA;

import dev.jtransformers.api.ModelLoadException;
import dev.jtransformers.api.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The weights of an ONNX export of a Hugging Face model, read from its initializers under Hugging Face's parameter
 * names, so that a backend can build the network itself ({@link Network#build})
 * from a file made for ONNX Runtime. Reads the protocol buffer directly (no ONNX library, no engine).
 *
 * <p>{@code torch.onnx} exports keep most parameter names, but not all of them:
 *
 * <ul>
 *   <li>An initializer named like a module parameter ({@code encoder.layer.0.attention.self.query.bias}) is that
 *       parameter.
 *   <li>The linear layers' weights are stored transposed, {@code [in, out]}, under generated names ({@code
 *       onnx::MatMul_885}); the {@code MatMul} node that reads one is named after the module's path ({@code
 *       /encoder/layer.0/attention/self/query/MatMul}), which names the weight ({@code …query.weight}, transposed
 *       back to {@code [out, in]}).
 *   <li>Parameters of equal value are stored once; each other name is the output of an {@code Identity} node of the
 *       stored one.
 *   <li>A model exported inside a wrapper module has every name under the wrapper's attribute ({@code
 *       m.bert.embeddings…}); the names are given relative to the module {@link NetworkSpec} describes, found where
 *       its word embeddings are.
 * </ul>
 *
 * Other initializers (shape constants under generated names) are not parameters and are left out. Tensor data is
 * read from a read-only mapping of the file when asked for. Thread-safe.
 */
public final class OnnxWeights implements Weights {
  /** {@code TensorProto.DataType} names by number. */
  private static final List<String> DATA_TYPES =
      List.of(
          "UNDEFINED", "FLOAT", "UINT8", "INT8", "UINT16", "INT16", "INT32", "INT64", "STRING", "BOOL", "FLOAT16",
          "DOUBLE", "UINT32", "UINT64", "COMPLEX64", "COMPLEX128", "BFLOAT16");

  private static final String GENERATED_NAME_PREFIX = "onnx::";

  /**
   * One initializer as stored.
   *
   * @param data its float32 values, little-endian (from {@code raw_data} or {@code float_data}); empty if it holds
   *     another type
   * @param external whether its data lives in another file ({@code data_location: EXTERNAL})
   */
  private record StoredTensor(String name, int[] dims, int dataType, ByteBuffer data, boolean external) {}

  /** A parameter: an initializer, as stored or transposed from {@code [in, out]} to {@code [out, in]}. */
  private record Stored(StoredTensor initializer, boolean transposed) {
    int[] shape() {
      int[] dims = initializer.dims();
      return transposed ? new int[] {dims[1], dims[0]} : dims.clone();
    }
  }

  /** A node, with the fields this reader needs. */
  private record Node(String name, String opType, List<String> inputs, List<String> outputs) {}

  private final Path file;
  private final Map<String, Stored> parameters;

  private OnnxWeights(Path file, Map<String, Stored> parameters) {
    this.file = file;
    this.parameters = parameters;
  }

  /**
   * Reads the parameters of the ONNX model in {@code file}, named as a checkpoint of {@code spec} names them.
   *
   * @throws ModelLoadException naming the file, if it is missing, unreadable, larger than 2 GB, not an ONNX model,
   *     or two initializers claim one parameter name
   */
  public static OnnxWeights read(Path file, NetworkSpec spec) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(spec, "spec");
    ByteBuffer bytes = map(file);
    List<StoredTensor> initializers = new ArrayList<>();
    List<Node> nodes = new ArrayList<>();
    ProtoReader model = new ProtoReader(bytes, file);
    boolean graphSeen = false;
    while (model.next()) {
      if (model.field() == MODEL_GRAPH && model.wireType() == ProtoReader.LENGTH_DELIMITED) {
        readGraph(model.message(), initializers, nodes);
        graphSeen = true;
      } else {
        model.skip();
      }
    }
    if (!graphSeen) {
      throw model.malformed("no graph");
    }
    Map<String, Stored> named = name(file, initializers, nodes);
    return new OnnxWeights(file, relativeTo(named, spec.embeddings().words().name()));
  }

  /**
   * Where the graph keeps a parameter: the initializer's name, and whether it holds the parameter transposed
   * ({@code [in, out]}, a linear weight under a generated {@code onnx::MatMul_*} name).
   */
  public record Initializer(String name, boolean transposed) {}

  /**
   * The initializer that holds a parameter, to override it by name ({@code SessionOptions.addInitializer}); empty
   * if the graph has no such parameter. A parameter stored once for several names (equal values) is overridden for
   * all of them.
   */
  public Optional<Initializer> initializer(String parameterName) {
    Stored stored = parameters.get(parameterName);
    return stored == null
        ? Optional.empty()
        : Optional.of(new Initializer(stored.initializer().name(), stored.transposed()));
  }

  @Override
  public Path path() {
    return file;
  }

  @Override
  public Set<String> names() {
    return parameters.keySet();
  }

  @Override
  public int[] shape(String name) {
    return stored(name).shape();
  }

  @Override
  public String dtype(String name) {
    int type = stored(name).initializer().dataType();
    return type >= 0 && type < DATA_TYPES.size() ? DATA_TYPES.get(type) : "data type " + type;
  }

  @Override
  public boolean readableAsFloat(String name) {
    StoredTensor initializer = stored(name).initializer();
    return initializer.dataType() == FLOAT && !initializer.external();
  }

  @Override
  public Tensor read(String name) {
    Stored stored = stored(name);
    StoredTensor initializer = stored.initializer();
    if (!readableAsFloat(name)) {
      throw new ModelLoadException(
          file + ": initializer '" + initializer.name() + "' (" + name + ") "
              + (initializer.external() ? "keeps its data in an external file, which is not supported"
                  : "has data type " + dtype(name) + "; only FLOAT is read"));
    }
    long count = Arrays.stream(initializer.dims()).asLongStream().reduce(1, Math::multiplyExact);
    ByteBuffer data = initializer.data().duplicate().order(ByteOrder.LITTLE_ENDIAN);
    if (data.remaining() != count * Float.BYTES) {
      throw new ModelLoadException(
          file + ": initializer '" + initializer.name() + "' holds " + data.remaining() + " bytes, but its shape "
              + Arrays.toString(initializer.dims()) + " needs " + count * Float.BYTES);
    }
    float[] values = new float[(int) count];
    data.asFloatBuffer().get(values);
    if (stored.transposed()) {
      values = FloatArrayOps.transpose(values, initializer.dims()[0], initializer.dims()[1]);
    }
    return Tensor.wrap(values, stored.shape());
  }

  @Override
  public String toString() {
    return "OnnxWeights[" + file + ", " + parameters.size() + " parameters]";
  }

  private Stored stored(String name) {
    Stored stored = parameters.get(Objects.requireNonNull(name, "name"));
    if (stored == null) {
      throw new ModelLoadException(file + ": no initializer for parameter '" + name + "'");
    }
    return stored;
  }

  private static ByteBuffer map(Path file) {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      if (channel.size() > Integer.MAX_VALUE) {
        throw new ModelLoadException(
            file + ": " + channel.size() + " bytes; an ONNX file over 2 GB keeps its weights in external data, which"
                + " is not supported");
      }
      return channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size()); // stays valid after the channel closes
    } catch (NoSuchFileException e) {
      throw new ModelLoadException(file + ": no such file", e);
    } catch (IOException e) {
      throw new ModelLoadException(file + ": cannot read", e);
    }
  }

  private static void readGraph(ProtoReader graph, List<StoredTensor> initializers, List<Node> nodes) {
    while (graph.next()) {
      if (graph.field() == GRAPH_INITIALIZER && graph.wireType() == ProtoReader.LENGTH_DELIMITED) {
        initializers.add(readTensor(graph.message()));
      } else if (graph.field() == GRAPH_NODE && graph.wireType() == ProtoReader.LENGTH_DELIMITED) {
        nodes.add(readNode(graph.message()));
      } else {
        graph.skip();
      }
    }
  }

  private static StoredTensor readTensor(ProtoReader tensor) {
    String name = "";
    List<Integer> dims = new ArrayList<>();
    int dataType = 0;
    ByteBuffer data = ByteBuffer.allocate(0);
    ByteArrayOutputStream unpackedFloats = new ByteArrayOutputStream();
    boolean external = false;
    while (tensor.next()) {
      switch (tensor.field()) {
        case TENSOR_DIMS -> readInts(tensor, dims);
        case TENSOR_DATA_TYPE -> dataType = (int) tensor.varint();
        case TENSOR_NAME -> name = tensor.string();
        case TENSOR_RAW_DATA -> data = tensor.bytes();
        case TENSOR_DATA_LOCATION -> external = tensor.varint() == EXTERNAL;
        case TENSOR_FLOAT_DATA -> {
          if (tensor.wireType() == ProtoReader.LENGTH_DELIMITED) {
            data = tensor.bytes(); // packed: the floats' little-endian bytes
          } else {
            int bits = Float.floatToRawIntBits(tensor.fixed32Float());
            for (int shift = 0; shift < Integer.SIZE; shift += Byte.SIZE) {
              unpackedFloats.write(bits >>> shift); // little-endian, as packed data is
            }
          }
        }
        default -> tensor.skip();
      }
    }
    if (unpackedFloats.size() > 0) {
      data = ByteBuffer.wrap(unpackedFloats.toByteArray());
    }
    return new StoredTensor(name, dims.stream().mapToInt(Integer::intValue).toArray(), dataType, data, external);
  }

  /** A repeated integer field, packed or not. */
  private static void readInts(ProtoReader message, List<Integer> values) {
    if (message.wireType() != ProtoReader.LENGTH_DELIMITED) {
      values.add(Math.toIntExact(message.varint()));
      return;
    }
    ProtoReader packed = message.message();
    while (packed.hasMore()) {
      values.add(Math.toIntExact(packed.varint()));
    }
  }

  private static Node readNode(ProtoReader node) {
    String name = "";
    String opType = "";
    List<String> inputs = new ArrayList<>();
    List<String> outputs = new ArrayList<>();
    while (node.next()) {
      switch (node.field()) {
        case NODE_INPUT -> inputs.add(node.string());
        case NODE_OUTPUT -> outputs.add(node.string());
        case NODE_NAME -> name = node.string();
        case NODE_OP_TYPE -> opType = node.string();
        default -> node.skip();
      }
    }
    return new Node(name, opType, inputs, outputs);
  }

  /** Each parameter by the name the export gives it (see the class description). */
  private static Map<String, Stored> name(Path file, List<StoredTensor> initializers, List<Node> nodes) {
    Map<String, StoredTensor> byName = new HashMap<>();
    Map<String, Stored> named = new LinkedHashMap<>();
    for (StoredTensor initializer : initializers) {
      byName.put(initializer.name(), initializer);
      if (isParameterName(initializer.name())) {
        put(file, named, initializer.name(), new Stored(initializer, false));
      }
    }
    for (Node node : nodes) {
      if (node.opType().equals("Identity") && node.inputs().size() == 1 && node.outputs().size() == 1
          && named.containsKey(node.inputs().get(0)) && isParameterName(node.outputs().get(0))) {
        put(file, named, node.outputs().get(0), named.get(node.inputs().get(0)));
      } else if (node.opType().equals("MatMul") && node.inputs().size() == 2) {
        StoredTensor weight = byName.get(node.inputs().get(1));
        String module = modulePath(node.name());
        if (weight != null && !isParameterName(weight.name()) && weight.dims().length == 2 && !module.isEmpty()) {
          put(file, named, module + ".weight", new Stored(weight, true));
        }
      }
    }
    return named;
  }

  private static void put(Path file, Map<String, Stored> named, String name, Stored stored) {
    Stored previous = named.putIfAbsent(name, stored);
    if (previous != null && previous != stored) {
      throw new ModelLoadException(
          file + ": initializers '" + previous.initializer().name() + "' and '" + stored.initializer().name()
              + "' both claim parameter '" + name + "'");
    }
  }

  /** Whether the exporter kept a module parameter's name: not generated ({@code onnx::…}) and not a node path. */
  private static boolean isParameterName(String name) {
    return !name.isEmpty() && !name.startsWith(GENERATED_NAME_PREFIX) && !name.contains("/");
  }

  /**
   * The module a node belongs to: {@code /encoder/layer.0/attention/self/query/MatMul} → {@code
   * encoder.layer.0.attention.self.query}; empty for a node not named after a module path.
   */
  private static String modulePath(String nodeName) {
    if (!nodeName.startsWith("/")) {
      return "";
    }
    String[] parts = nodeName.substring(1).split("/");
    return parts.length < 2 ? "" : String.join(".", Arrays.asList(parts).subList(0, parts.length - 1));
  }

  /**
   * The parameters with a wrapper module's prefix taken off: the prefix before the one name that ends in {@code
   * anchor}; none if {@code anchor} is there as it is, or nowhere (then validation reports what is missing).
   */
  private static Map<String, Stored> relativeTo(Map<String, Stored> named, String anchor) {
    if (named.containsKey(anchor)) {
      return Collections.unmodifiableMap(named);
    }
    List<String> candidates = named.keySet().stream().filter(name -> name.endsWith("." + anchor)).toList();
    if (candidates.size() != 1) {
      return Collections.unmodifiableMap(named);
    }
    String prefix = candidates.get(0).substring(0, candidates.get(0).length() - anchor.length());
    Map<String, Stored> relative = new LinkedHashMap<>();
    named.forEach(
        (name, stored) -> relative.put(name.startsWith(prefix) ? name.substring(prefix.length()) : name, stored));
    return Collections.unmodifiableMap(relative);
  }
}
