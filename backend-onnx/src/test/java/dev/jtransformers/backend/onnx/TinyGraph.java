package dev.jtransformers.backend.onnx;

import dev.jtransformers.api.BatchEncoding;
import dev.jtransformers.api.Encoding;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Writes tiny ONNX models in code (the protobuf encoding of {@code ModelProto}, opset 11 unless set), so tests can give the
 * backend graphs with any inputs, outputs and shapes. Dimensions are numbers, or names for symbolic ones.
 */
final class TinyGraph {
  static final int FLOAT = 1;
  static final int INT32 = 6;
  static final int INT64 = 7;

  private final List<byte[]> nodes = new ArrayList<>();
  private final List<byte[]> initializers = new ArrayList<>();
  private final List<byte[]> inputs = new ArrayList<>();
  private final List<byte[]> outputs = new ArrayList<>();
  private int opset = 11;

  /** The version of the default operator set the model imports. */
  TinyGraph opset(int version) {
    this.opset = version;
    return this;
  }

  TinyGraph input(String name, int elementType, Object... dims) {
    inputs.add(valueInfo(name, elementType, dims));
    return this;
  }

  TinyGraph output(String name, int elementType, Object... dims) {
    outputs.add(valueInfo(name, elementType, dims));
    return this;
  }

  /** {@code output = Cast(input, to=FLOAT)}. */
  TinyGraph castToFloat(String input, String output) {
    Message attribute = new Message().string(1, "to").varint(3, FLOAT).varint(20, 2); // type INT
    nodes.add(node("Cast", List.of(input), output, attribute));
    return this;
  }

  /** {@code output = Unsqueeze(input, axes=[axis])}: adds a dimension of size 1. */
  TinyGraph unsqueeze(String input, String output, int axis) {
    Message attribute = new Message().string(1, "axes").varint(8, axis).varint(20, 7); // type INTS
    nodes.add(node("Unsqueeze", List.of(input), output, attribute));
    return this;
  }

  /** {@code output = ReduceSum(input, axes=[axis], keepdims=0)}. */
  TinyGraph reduceSum(String input, String output, int axis) {
    Message axes = new Message().string(1, "axes").varint(8, axis).varint(20, 7);
    Message keepDims = new Message().string(1, "keepdims").varint(3, 0).varint(20, 2);
    nodes.add(node("ReduceSum", List.of(input), output, axes, keepDims));
    return this;
  }

  /** {@code output = MatMul(input, weight)}, the weight a float initializer of {@code rows × columns} values. */
  TinyGraph matMul(String input, String output, String weight, int rows, int columns, float... values) {
    ByteBuffer data = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    data.asFloatBuffer().put(values);
    initializers.add(new Message().varint(1, rows).varint(1, columns).varint(2, FLOAT).string(8, weight)
        .bytes(9, data.array()).toByteArray());
    nodes.add(node("MatMul", List.of(input, weight), output));
    return this;
  }

  /** {@code output = MatMul(input, weight)} over a weight an earlier {@link #matMul} added. */
  TinyGraph matMul(String input, String output, String weight) {
    nodes.add(node("MatMul", List.of(input, weight), output));
    return this;
  }

  /** A 1-D float initializer. */
  TinyGraph vector(String name, float... values) {
    ByteBuffer data = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    data.asFloatBuffer().put(values);
    initializers.add(new Message().varint(1, values.length).varint(2, FLOAT).string(8, name).bytes(9, data.array())
        .toByteArray());
    return this;
  }

  /** {@code output = Add(left, right)}. */
  TinyGraph add(String left, String right, String output) {
    nodes.add(node("Add", List.of(left, right), output));
    return this;
  }

  /**
   * {@code output = LayerNormalization(input, scale, bias, axis=-1, epsilon)}; scale and bias are initializers. (ONNX
   * has it from opset 17; ONNX Runtime, whose own fusions make it, takes it at any opset.)
   */
  TinyGraph layerNorm(String input, String scale, String bias, String output, float epsilon) {
    Message axis = new Message().string(1, "axis").varint(3, -1).varint(20, 2); // type INT
    Message eps = new Message().string(1, "epsilon").fixed32(2, Float.floatToIntBits(epsilon)).varint(20, 1); // FLOAT
    nodes.add(node("LayerNormalization", List.of(input, scale, bias), output, axis, eps));
    return this;
  }

  /** A batch of one unpadded sequence of these ids, for graphs that read {@code input_ids} and the mask only. */
  static BatchEncoding sequence(int... ids) {
    String[] tokens = new String[ids.length];
    Arrays.fill(tokens, "");
    int[] words = new int[ids.length];
    Arrays.fill(words, Encoding.NO_WORD);
    int[] ones = new int[ids.length];
    Arrays.fill(ones, 1);
    return BatchEncoding.of(List.of(Encoding.of(ids, new int[ids.length], tokens, new int[2 * ids.length],
        new int[ids.length], ones, words, List.of())));
  }

  /** Writes the model as {@code directory/onnx/model.onnx} and returns the directory. */
  Path writeModelDirectory(Path directory) throws IOException {
    Path file = directory.resolve("onnx").resolve("model.onnx");
    Files.createDirectories(file.getParent());
    Files.write(file, bytes());
    return directory;
  }

  byte[] bytes() {
    Message graph = new Message();
    nodes.forEach(n -> graph.bytes(1, n));
    graph.string(2, "tiny");
    initializers.forEach(i -> graph.bytes(5, i));
    inputs.forEach(i -> graph.bytes(11, i));
    outputs.forEach(o -> graph.bytes(12, o));
    return new Message()
        .varint(1, 6) // ir_version
        .string(2, "jtransformers-test")
        .bytes(7, graph.toByteArray())
        .bytes(8, new Message().string(1, "").varint(2, opset).toByteArray()) // opset_import
        .toByteArray();
  }

  private static byte[] node(String opType, List<String> inputs, String output, Message... attributes) {
    Message node = new Message();
    inputs.forEach(i -> node.string(1, i));
    node.string(2, output).string(3, output + "_node").string(4, opType);
    for (Message attribute : attributes) {
      node.bytes(5, attribute.toByteArray());
    }
    return node.toByteArray();
  }

  private static byte[] valueInfo(String name, int elementType, Object... dims) {
    Message shape = new Message();
    for (Object dim : dims) {
      Message dimension =
          dim instanceof Integer size ? new Message().varint(1, size) : new Message().string(2, (String) dim);
      shape.bytes(1, dimension.toByteArray());
    }
    Message tensorType = new Message().varint(1, elementType).bytes(2, shape.toByteArray());
    Message type = new Message().bytes(1, tensorType.toByteArray());
    return new Message().string(1, name).bytes(2, type.toByteArray()).toByteArray();
  }

  /** A protobuf message under construction: varint and length-delimited fields only. */
  private static final class Message {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Message varint(int field, long value) {
      writeVarint((long) field << 3);
      writeVarint(value);
      return this;
    }

    Message fixed32(int field, int value) {
      writeVarint(((long) field << 3) | 5);
      for (int i = 0; i < 4; i++) {
        out.write((value >>> (8 * i)) & 0xFF);
      }
      return this;
    }

    Message string(int field, String value) {
      return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    Message bytes(int field, byte[] value) {
      writeVarint(((long) field << 3) | 2);
      writeVarint(value.length);
      out.writeBytes(value);
      return this;
    }

    byte[] toByteArray() {
      return out.toByteArray();
    }

    private void writeVarint(long value) {
      while ((value & ~0x7FL) != 0) {
        out.write((int) ((value & 0x7F) | 0x80));
        value >>>= 7;
      }
      out.write((int) value);
    }
  }
}
