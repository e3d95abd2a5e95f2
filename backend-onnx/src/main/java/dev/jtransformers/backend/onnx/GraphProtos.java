package dev.jtransformers.backend.onnx;

import static dev.jtransformers.architectures.OnnxProto.ATTRIBUTE_INT;
import static dev.jtransformers.architectures.OnnxProto.ATTRIBUTE_NAME;
import static dev.jtransformers.architectures.OnnxProto.ATTRIBUTE_TYPE;
import static dev.jtransformers.architectures.OnnxProto.ATTRIBUTE_TYPE_INT;
import static dev.jtransformers.architectures.OnnxProto.FLOAT;
import static dev.jtransformers.architectures.OnnxProto.GRAPH_INITIALIZER;
import static dev.jtransformers.architectures.OnnxProto.GRAPH_OUTPUT;
import static dev.jtransformers.architectures.OnnxProto.MODEL_GRAPH;
import static dev.jtransformers.architectures.OnnxProto.MODEL_OPSET_IMPORT;
import static dev.jtransformers.architectures.OnnxProto.NODE_ATTRIBUTE;
import static dev.jtransformers.architectures.OnnxProto.NODE_DOMAIN;
import static dev.jtransformers.architectures.OnnxProto.NODE_INPUT;
import static dev.jtransformers.architectures.OnnxProto.NODE_NAME;
import static dev.jtransformers.architectures.OnnxProto.NODE_OP_TYPE;
import static dev.jtransformers.architectures.OnnxProto.NODE_OUTPUT;
import static dev.jtransformers.architectures.OnnxProto.OPSET_DOMAIN;
import static dev.jtransformers.architectures.OnnxProto.OPSET_VERSION;
import static dev.jtransformers.architectures.OnnxProto.TENSOR_NAME;
import static dev.jtransformers.architectures.OnnxProto.TENSOR_TYPE_ELEMENT_TYPE;
import static dev.jtransformers.architectures.OnnxProto.TYPE_TENSOR_TYPE;
import static dev.jtransformers.architectures.OnnxProto.VALUE_INFO_NAME;
import static dev.jtransformers.architectures.OnnxProto.VALUE_INFO_TYPE;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.UnsafeByteOperations;
import com.google.protobuf.WireFormat;
import dev.jtransformers.api.ModelLoadException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reading and rewriting an ONNX file's protocol buffer in place, for the graph rewrites of this backend ({@link
 * DynamicQuantization}, {@link SkipLayerNormFusion}): protobuf's coded streams over views of the file's bytes, no
 * generated classes; the field numbers are {@link dev.jtransformers.architectures.OnnxProto}'s.
 */
final class GraphProtos {
  /** The domain of ONNX Runtime's own operators. */
  static final String MICROSOFT_DOMAIN = "com.microsoft";

  /** A node of the graph as stored, with the fields the rewrites look at. */
  record Node(ByteString bytes, String name, String opType, String domain, List<String> inputs, List<String> outputs,
      List<ByteString> attributes) {
    boolean is(String type) {
      return opType.equals(type) && domain.isEmpty();
    }
  }

  /** Rewrites a graph's bytes. */
  @FunctionalInterface
  interface GraphRewrite {
    byte[] rewrite(ByteString graph) throws IOException;
  }

  private GraphProtos() {}

  /**
   * The model with its graph rewritten and every other field copied, importing {@value #MICROSOFT_DOMAIN}'s operator
   * set if it does not yet (the rewrites add its operators).
   *
   * @throws ModelLoadException naming {@code source}, if the bytes hold no graph
   */
  static byte[] rewriteModel(ByteString model, String source, GraphRewrite rewrite) throws IOException {
    CodedInputStream in = reader(model);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(model.size() / 3);
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    boolean microsoftOpset = false;
    boolean graph = false;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      int field = WireFormat.getTagFieldNumber(tag);
      if (field == MODEL_GRAPH && isLengthDelimited(tag)) {
        out.writeByteArray(MODEL_GRAPH, rewrite.rewrite(in.readBytes()));
        graph = true;
      } else if (field == MODEL_OPSET_IMPORT && isLengthDelimited(tag)) {
        ByteString opset = in.readBytes();
        microsoftOpset |= MICROSOFT_DOMAIN.equals(string(opset, OPSET_DOMAIN));
        out.writeBytes(MODEL_OPSET_IMPORT, opset);
      } else {
        in.skipField(tag, out); // copies it
      }
    }
    if (!graph) {
      throw new ModelLoadException(source + ": not a valid ONNX file (no graph)");
    }
    if (!microsoftOpset) {
      ByteArrayOutputStream opset = new ByteArrayOutputStream();
      CodedOutputStream opsetOut = CodedOutputStream.newInstance(opset);
      opsetOut.writeString(OPSET_DOMAIN, MICROSOFT_DOMAIN);
      opsetOut.writeInt64(OPSET_VERSION, 1);
      opsetOut.flush();
      out.writeByteArray(MODEL_OPSET_IMPORT, opset.toByteArray());
    }
    out.flush();
    return bytes.toByteArray();
  }

  /**
   * The model's graph, a view of its bytes.
   *
   * @throws ModelLoadException naming {@code source}, if the bytes hold no graph
   */
  static ByteString graph(ByteString model, String source) throws IOException {
    CodedInputStream in = reader(model);
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (WireFormat.getTagFieldNumber(tag) == MODEL_GRAPH && isLengthDelimited(tag)) {
        return in.readBytes();
      }
      in.skipField(tag);
    }
    throw new ModelLoadException(source + ": not a valid ONNX file (no graph)");
  }

  /**
   * The model with {@code values} (float tensors the graph computes) added to its outputs, so that a session returns
   * them too; the rest copied.
   */
  static byte[] withFloatOutputs(byte[] model, String source, Collection<String> values) throws IOException {
    return rewriteModel(UnsafeByteOperations.unsafeWrap(model), source, graph -> {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(graph.size() + 64 * values.size());
      CodedOutputStream out = CodedOutputStream.newInstance(bytes);
      out.writeRawBytes(graph);
      for (String value : values) {
        out.writeByteArray(GRAPH_OUTPUT, floatValueInfo(value));
      }
      out.flush();
      return bytes.toByteArray();
    });
  }

  /** A {@code ValueInfoProto} of a float tensor of any shape. */
  private static byte[] floatValueInfo(String name) throws IOException {
    ByteArrayOutputStream tensorType = new ByteArrayOutputStream();
    CodedOutputStream tensor = CodedOutputStream.newInstance(tensorType);
    tensor.writeInt32(TENSOR_TYPE_ELEMENT_TYPE, FLOAT);
    tensor.flush();
    ByteArrayOutputStream typeBytes = new ByteArrayOutputStream();
    CodedOutputStream type = CodedOutputStream.newInstance(typeBytes);
    type.writeByteArray(TYPE_TENSOR_TYPE, tensorType.toByteArray());
    type.flush();
    ByteArrayOutputStream info = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(info);
    out.writeString(VALUE_INFO_NAME, name);
    out.writeByteArray(VALUE_INFO_TYPE, typeBytes.toByteArray());
    out.flush();
    return info.toByteArray();
  }

  /**
   * The names of the model's initializers, read as a stream: nothing of the weights' data is kept, so a graph of any
   * size costs one pass over the file and no copy of it.
   *
   * @throws IOException if it can't be read or is not an ONNX model
   */
  static Set<String> initializerNames(InputStream model) throws IOException {
    Set<String> names = new HashSet<>();
    CodedInputStream in = CodedInputStream.newInstance(model);
    in.setSizeLimit(Integer.MAX_VALUE);
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (WireFormat.getTagFieldNumber(tag) != MODEL_GRAPH || !isLengthDelimited(tag)) {
        in.skipField(tag);
        continue;
      }
      int graph = in.pushLimit(in.readRawVarint32());
      for (int field = in.readTag(); field != 0; field = in.readTag()) {
        if (WireFormat.getTagFieldNumber(field) != GRAPH_INITIALIZER || !isLengthDelimited(field)) {
          in.skipField(field);
          continue;
        }
        int tensor = in.pushLimit(in.readRawVarint32());
        for (int entry = in.readTag(); entry != 0; entry = in.readTag()) {
          if (WireFormat.getTagFieldNumber(entry) == TENSOR_NAME && isLengthDelimited(entry)) {
            names.add(in.readStringRequireUtf8());
          } else {
            in.skipField(entry);
          }
        }
        in.popLimit(tensor);
      }
      in.popLimit(graph);
    }
    return names;
  }

  static Node node(ByteString bytes) throws IOException {
    String name = "";
    String opType = "";
    String domain = "";
    List<String> inputs = new ArrayList<>();
    List<String> outputs = new ArrayList<>();
    List<ByteString> attributes = new ArrayList<>();
    CodedInputStream in = reader(bytes);
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case NODE_INPUT -> inputs.add(in.readStringRequireUtf8());
        case NODE_OUTPUT -> outputs.add(in.readStringRequireUtf8());
        case NODE_NAME -> name = in.readStringRequireUtf8();
        case NODE_OP_TYPE -> opType = in.readStringRequireUtf8();
        case NODE_DOMAIN -> domain = in.readStringRequireUtf8();
        case NODE_ATTRIBUTE -> attributes.add(in.readBytes());
        default -> in.skipField(tag);
      }
    }
    return new Node(bytes, name, opType, domain, inputs, outputs, attributes);
  }

  /** A node message: inputs, outputs, name, operator, domain and attributes as given. */
  static ByteString node(List<String> inputs, List<String> outputs, String name, String opType, String domain,
      List<ByteString> attributes) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    for (String input : inputs) {
      out.writeString(NODE_INPUT, input);
    }
    for (String output : outputs) {
      out.writeString(NODE_OUTPUT, output);
    }
    out.writeString(NODE_NAME, name);
    out.writeString(NODE_OP_TYPE, opType);
    for (ByteString attribute : attributes) {
      out.writeBytes(NODE_ATTRIBUTE, attribute);
    }
    out.writeString(NODE_DOMAIN, domain);
    out.flush();
    return ByteString.copyFrom(bytes.toByteArray());
  }

  /** An integer attribute of a node. */
  static ByteString intAttribute(String name, long value) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    out.writeString(ATTRIBUTE_NAME, name);
    out.writeInt64(ATTRIBUTE_INT, value);
    out.writeInt32(ATTRIBUTE_TYPE, ATTRIBUTE_TYPE_INT);
    out.flush();
    return ByteString.copyFrom(bytes.toByteArray());
  }

  /** The node with each input named {@code from} named {@code to}, every other field as it was. */
  static ByteString renameInput(ByteString node, String from, String to) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(node.size() + to.length());
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    CodedInputStream in = reader(node);
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (WireFormat.getTagFieldNumber(tag) == NODE_INPUT && isLengthDelimited(tag)) {
        String input = in.readStringRequireUtf8();
        out.writeString(NODE_INPUT, input.equals(from) ? to : input);
      } else {
        in.skipField(tag, out);
      }
    }
    out.flush();
    return ByteString.copyFrom(bytes.toByteArray());
  }

  /** The version of the default ({@code ai.onnx}) operator set the model imports; 0 if none. */
  static long defaultOpsetVersion(ByteString model) throws IOException {
    CodedInputStream in = reader(model);
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (WireFormat.getTagFieldNumber(tag) != MODEL_OPSET_IMPORT || !isLengthDelimited(tag)) {
        in.skipField(tag);
        continue;
      }
      ByteString opset = in.readBytes();
      String domain = string(opset, OPSET_DOMAIN);
      if (domain.isEmpty() || domain.equals("ai.onnx")) {
        CodedInputStream fields = reader(opset);
        for (int field = fields.readTag(); field != 0; field = fields.readTag()) {
          if (WireFormat.getTagFieldNumber(field) == OPSET_VERSION) {
            return fields.readInt64();
          }
          fields.skipField(field);
        }
      }
    }
    return 0;
  }

  /** Reads one value of a repeated numeric field, or all of them where the field is packed. */
  static void repeated(CodedInputStream in, int tag, ValueReader value) throws IOException {
    if (!isLengthDelimited(tag)) {
      value.read();
      return;
    }
    int limit = in.pushLimit(in.readRawVarint32());
    while (in.getBytesUntilLimit() > 0) {
      value.read();
    }
    in.popLimit(limit);
  }

  /** Reads one value from the stream. */
  @FunctionalInterface
  interface ValueReader {
    void read() throws IOException;
  }

  /** A string field of a message, empty if absent. */
  static String string(ByteString message, int field) throws IOException {
    CodedInputStream in = reader(message);
    String value = "";
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (WireFormat.getTagFieldNumber(tag) == field && isLengthDelimited(tag)) {
        value = in.readStringRequireUtf8();
      } else {
        in.skipField(tag);
      }
    }
    return value;
  }

  /** A reader whose length-delimited fields are views of {@code bytes}. */
  static CodedInputStream reader(ByteString bytes) {
    CodedInputStream in = bytes.newCodedInput();
    in.enableAliasing(true);
    return in;
  }

  static boolean isLengthDelimited(int tag) {
    return WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED;
  }
}
