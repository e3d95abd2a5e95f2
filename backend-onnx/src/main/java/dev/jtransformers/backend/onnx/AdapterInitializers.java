package dev.jtransformers.backend.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
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
import java.util.ArrayList;
import java.util.Arrays;
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
   * Adds the request's adapter, merged, to {@code options}; the tensors returned must outlive the session.
   *
   * @throws ModelLoadException naming the file, if the adapter can't be read or does not fit the graph's weights
   */
  static List<OnnxTensor> add(OrtEnvironment environment, LoadRequest request, Path file,
      OrtSession.SessionOptions options) throws OrtException {
    if (request.adapter().isEmpty()) {
      return List.of();
    }
    if (request.config().isEmpty()) {
      throw new ModelLoadException(request.modelDirectory() + " has no " + ModelConfig.FILE_NAME
          + ", which naming the weights an adapter changes needs");
    }
    OnnxWeights weights = OnnxWeights.read(file, NetworkSpec.of(ModelConfig.fromMap(request.config())));
    AdaptedWeights merged = PeftAdapter.read(request.adapter().get()).mergeInto(weights);
    List<OnnxTensor> tensors = new ArrayList<>();
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
        tensors.add(tensor);
        options.addInitializer(initializer.name(), tensor);
      }
      return tensors;
    } catch (OrtException | RuntimeException e) {
      tensors.forEach(OnnxTensor::close);
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
