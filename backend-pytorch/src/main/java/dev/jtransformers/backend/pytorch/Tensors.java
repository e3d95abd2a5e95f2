package dev.jtransformers.backend.pytorch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.jtransformers.api.Tensor;

/** Copies between libtorch arrays and this project's {@link Tensor}s. */
final class Tensors {
  private Tensors() {}

  /** The values of {@code array} as a float32 tensor of its shape, copied out of native memory. */
  static Tensor copy(NDArray array) {
    NDArray floats = array.getDataType() == DataType.FLOAT32 ? array : array.toType(DataType.FLOAT32, false);
    long[] dimensions = floats.getShape().getShape();
    int[] shape = new int[dimensions.length];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = Math.toIntExact(dimensions[i]);
    }
    return Tensor.wrap(floats.toFloatArray(), shape);
  }
}
