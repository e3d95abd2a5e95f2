package dev.jtransformers.architectures;

/**
 * The numbers {@code onnx.proto} gives the fields and tensor data types that this project reads and writes, for code
 * that handles an ONNX file's protocol buffer directly ({@link OnnxWeights}, the ONNX backend's graph rewrites).
 */
public final class OnnxProto {
  /** {@code TensorProto.DataType.FLOAT}. */
  public static final int FLOAT = 1;
  /** {@code TensorProto.DataType.INT8}. */
  public static final int INT8 = 3;
  /** {@code TensorProto.DataType.INT32}. */
  public static final int INT32 = 6;
  /** {@code TensorProto.DataType.BOOL}. */
  public static final int BOOL = 9;
  /** {@code TensorProto.DataLocation.EXTERNAL}. */
  public static final int EXTERNAL = 1;

  public static final int MODEL_GRAPH = 7;
  public static final int MODEL_OPSET_IMPORT = 8;
  public static final int OPSET_DOMAIN = 1;
  public static final int OPSET_VERSION = 2;
  public static final int GRAPH_NODE = 1;
  public static final int GRAPH_INITIALIZER = 5;
  public static final int GRAPH_INPUT = 11;
  public static final int GRAPH_OUTPUT = 12;
  public static final int VALUE_INFO_NAME = 1;
  public static final int VALUE_INFO_TYPE = 2;
  /** {@code TypeProto.tensor_type}. */
  public static final int TYPE_TENSOR_TYPE = 1;
  /** {@code TypeProto.Tensor.elem_type}. */
  public static final int TENSOR_TYPE_ELEMENT_TYPE = 1;
  public static final int NODE_INPUT = 1;
  public static final int NODE_OUTPUT = 2;
  public static final int NODE_NAME = 3;
  public static final int NODE_OP_TYPE = 4;
  public static final int NODE_ATTRIBUTE = 5;
  public static final int NODE_DOMAIN = 7;
  public static final int ATTRIBUTE_NAME = 1;
  public static final int ATTRIBUTE_FLOAT = 2;
  public static final int ATTRIBUTE_INT = 3;
  public static final int ATTRIBUTE_TYPE = 20;
  /** {@code AttributeProto.AttributeType.FLOAT}. */
  public static final int ATTRIBUTE_TYPE_FLOAT = 1;
  /** {@code AttributeProto.AttributeType.INT}. */
  public static final int ATTRIBUTE_TYPE_INT = 2;
  public static final int TENSOR_DIMS = 1;
  public static final int TENSOR_DATA_TYPE = 2;
  public static final int TENSOR_FLOAT_DATA = 4;
  public static final int TENSOR_NAME = 8;
  public static final int TENSOR_RAW_DATA = 9;
  public static final int TENSOR_DATA_LOCATION = 14;

  private OnnxProto() {}
}
