package dev.jtransformers.architectures;

import dev.jtransformers.api.Tensor;
import dev.jtransformers.models.safetensors.SafetensorsFile;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * A checkpoint's tensors by parameter name, whatever file holds them: what {@link Network#build} and {@link
 * CheckpointValidator} read. {@link #of(SafetensorsFile)} views a {@code model.safetensors}; {@link
 * OnnxWeights} reads the initializers of an ONNX export under the same names.
 *
 * <p>Implementations are thread-safe for reading.
 */
public interface Weights {
  /** The file the tensors are read from, for messages. */
  Path path();

  /** The tensor names, Hugging Face's parameter names (e.g. {@code bert.embeddings.word_embeddings.weight}). */
  Set<String> names();

  /**
   * The shape of a tensor, outermost dimension first.
   *
   * @throws dev.jtransformers.api.ModelLoadException naming the file, if there is no tensor of that name
   */
  int[] shape(String name);

  /**
   * The element type of a tensor as stored, for messages (e.g. {@code F16}, {@code INT64}).
   *
   * @throws dev.jtransformers.api.ModelLoadException naming the file, if there is no tensor of that name
   */
  String dtype(String name);

  /** Whether {@link #read} can return the tensor as float32. */
  boolean readableAsFloat(String name);

  /**
   * A tensor as float32, converted from its stored type.
   *
   * @throws dev.jtransformers.api.ModelLoadException naming the file and tensor, if there is none of that name, it
   *     is not {@linkplain #readableAsFloat readable as float}, or it can't be read
   */
  Tensor read(String name);

  /**
   * Tensors in memory, e.g. a trained network's.
   *
   * @param origin what they came from, for messages
   */
  static Weights of(Path origin, Map<String, Tensor> tensors) {
    return new TensorWeights(origin, tensors);
  }

  /** The tensors of a safetensors file, read while the caller keeps it open. */
  static Weights of(SafetensorsFile file) {
    return new SafetensorsWeights(file);
  }
}
