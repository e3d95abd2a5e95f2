package dev.jtransformers.spi;

/** The serialised forms a {@link Backend} may read a network from. */
public enum ModelFormat {
  /** An ONNX graph: {@code onnx/model.onnx} or {@code model.onnx}. */
  ONNX,
  /** A TorchScript module: {@code model.pt}. */
  TORCHSCRIPT,
  /** A TensorFlow SavedModel directory. */
  TENSORFLOW_SAVED_MODEL
}
