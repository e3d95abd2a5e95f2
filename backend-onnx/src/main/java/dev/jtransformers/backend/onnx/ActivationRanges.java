package dev.jtransformers.backend.onnx;

import dev.jtransformers.api.BatchEncoding;
import dev.jtransformers.api.ModelLoadException;
import dev.jtransformers.api.ModelOutput;
import dev.jtransformers.api.Tensor;
import dev.jtransformers.spi.LoadRequest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How far each channel of the activations that int8 MatMuls will read ranges on sample inputs, measured by running
 * the float graph with those activations added to its outputs: what {@link DynamicQuantization} smooths by.
 */
final class ActivationRanges {
  private ActivationRanges() {}

  /**
   * For each of {@link DynamicQuantization#quantizedInputs}, the largest magnitude each channel (last axis) reaches
   * over {@code samples}.
   *
   * @param request how to run the graph (threads, options)
   * @param file the model file, which errors name
   * @param model its bytes
   * @throws ModelLoadException naming {@code file}, if the graph can't be read or run
   */
  static Map<String, float[]> measure(LoadRequest request, Path file, byte[] model, List<BatchEncoding> samples) {
    Set<String> activations = DynamicQuantization.quantizedInputs(model, file.toString());
    byte[] probe;
    try {
      probe = GraphProtos.withFloatOutputs(model, file.toString(), activations);
    } catch (IOException e) {
      throw new ModelLoadException(file + ": not a valid ONNX file (" + e.getMessage() + ")", e);
    }
    Map<String, float[]> ranges = new LinkedHashMap<>();
    try (OnnxModel graph = OnnxBackend.loadRewritten(request, file, probe)) {
      for (BatchEncoding sample : samples) {
        ModelOutput output = graph.forward(sample, activations);
        for (String activation : activations) {
          Tensor values = output.get(activation);
          int channels = values.shape()[values.shape().length - 1];
          float[] range = ranges.computeIfAbsent(activation, name -> new float[channels]);
          float[] flat = values.toFloatArray();
          for (int i = 0; i < flat.length; i++) {
            range[i % channels] = Math.max(range[i % channels], Math.abs(flat[i]));
          }
        }
      }
    }
    return ranges;
  }
}
