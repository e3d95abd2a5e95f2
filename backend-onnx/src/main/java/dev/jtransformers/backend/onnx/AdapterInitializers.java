package dev.jtransformers.backend.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import dev.jtransformers.api.BackendException;
import dev.jtransformers.api.ModelLoadException;
import dev.jtransformers.api.Tensor;
import dev.jtransformers.architectures.AdaptedWeights;
import dev.jtransformers.architectures.NetworkSpec;
import dev.jtransformers.architectures.OnnxWeights;
import dev.jtransformers.architectures.PeftAdapter;
import dev.jtransformers.models.ModelConfig;
import dev.jtransformers.spi.LoadRequest;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A LoRA adapter merged into an ONNX graph where the graph keeps the weights: each adapted weight, merged ({@code W
 * + scaling · B A}), replaces its initializer by name ({@code SessionOptions.addInitializer}), transposed back to
 * {@code [in, out]} where the export stores it so. The graph itself is unchanged, so a bare encoder stays one: the
 * adapter's classifier is a head's to apply.
 */
final class AdapterInitializers {
  private AdapterInitializers() {}

  /**
   * The request's adapter, merged, as the initializers that replace the graph's by name; empty without an adapter.
   * The caller owns the tensors, which must outlive the session that reads them.
   *
   * @throws ModelLoadException naming the file, if the adapter can't be read or does not fit the graph's weights
   * @throws BackendException if ONNX Runtime cannot hold a merged weight
   */
  static Map<String, OnnxTensor> create(OrtEnvironment environment, LoadRequest request, Path file) {
    if (request.adapter().isEmpty()) {
      return Map.of();
    }
    if (request.config().isEmpty()) {
      throw new ModelLoadException(request.modelDirectory() + " has no " + ModelConfig.FILE_NAME
          + ", which naming the weights an adapter changes needs");
    }
    OnnxWeights weights = OnnxWeights.read(file, NetworkSpec.of(ModelConfig.fromMap(request.config())));
    AdaptedWeights merged = PeftAdapter.read(request.adapter().get()).mergeInto(weights);
    Map<String, OnnxTensor> tensors = new LinkedHashMap<>();
    try {
      for (Map.Entry<String, Tensor> entry : merged.replaced().entrySet()) {
        OnnxWeights.Initializer initializer = weights.initializer(entry.getKey()).orElseThrow();
        Tensor value = entry.getValue();
        OnnxTensor tensor =
            initializer.transposed()
                ? OnnxTensor.createTensor(
                    environment, FloatBuffer.wrap(transposed(value)), new long[] {value.dim(1), value.dim(0)})
                : OnnxTensor.createTensor(
                    environment, FloatBuffer.wrap(value.toFloatArray()),
                    Arrays.stream(value.shape()).asLongStream().toArray());
        tensors.put(initializer.name(), tensor);
      }
      return Collections.unmodifiableMap(tensors);
    } catch (OrtException e) {
      tensors.values().forEach(OnnxTensor::close);
      throw new BackendException("ONNX Runtime cannot hold the adapter's weights for " + file + ": "
          + e.getMessage(), e);
    } catch (RuntimeException e) {
      tensors.values().forEach(OnnxTensor::close);
      throw e;
    }
  }

  /** {@code [rows, columns]} → {@code [columns, rows]}. */
  private static float[] transposed(Tensor matrix) {
    int rows = matrix.dim(0);
    int columns = matrix.dim(1);
    float[] values = matrix.toFloatArray();
    float[] result = new float[values.length];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < columns; c++) {
        result[c * rows + r] = values[r * columns + c];
      }
    }
    return result;
  }
}
