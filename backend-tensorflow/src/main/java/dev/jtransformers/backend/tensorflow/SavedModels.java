package dev.jtransformers.backend.tensorflow;

import dev.jtransformers.api.ModelLoadException;
import dev.jtransformers.architectures.TaskHead;
import dev.jtransformers.models.ModelConfig;
import dev.jtransformers.spi.LoadRequest;
import dev.jtransformers.spi.ModelFormat;
import java.nio.file.Path;
import java.util.Optional;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Signature;
import org.tensorflow.exceptions.TensorFlowException;

/**
 * Loads {@link ModelFormat#TENSORFLOW_SAVED_MODEL} directories: the {@value #SERVE_TAG} meta graph, run through its
 * {@code serving_default} signature with inputs and outputs by name.
 */
final class SavedModels {
  /** The tag of the graph TensorFlow Serving and Python's {@code tf.saved_model.save} mark for inference. */
  static final String SERVE_TAG = SavedModelBundle.DEFAULT_TAG;

  private SavedModels() {}

  /**
   * @throws ModelLoadException naming the directory, if it holds no SavedModel, TensorFlow can't read it, it has no
   *     {@code serving_default} signature, or that takes inputs this backend can't feed
   */
  static TensorFlowModel load(LoadRequest request, Placement placement) {
    Path directory = ModelFormat.TENSORFLOW_SAVED_MODEL.require(request.modelDirectory());
    Optional<TaskHead> head = taskHead(request);
    SavedModelBundle bundle;
    try {
      bundle =
          SavedModelBundle.loader(directory.toString())
              .withTags(SERVE_TAG)
              .withConfigProto(placement.config())
              .load();
    } catch (TensorFlowException e) {
      throw new ModelLoadException("TensorFlow cannot load the SavedModel " + directory + ": " + e.getMessage(), e);
    }
    try {
      String where = "the SavedModel " + directory;
      Signature signature =
          bundle.signatures().stream()
              .filter(s -> s.key().equals(Signature.DEFAULT_KEY))
              .findFirst()
              .orElseThrow(
                  () ->
                      new ModelLoadException(
                          where + " has no '" + Signature.DEFAULT_KEY + "' signature; it has "
                              + bundle.signatures().stream().map(Signature::key).toList()));
      return new TensorFlowModel(
          directory.toString(),
          bundle.session(),
          Signatures.inputs(signature, where),
          Signatures.floatOutputs(signature, head, where),
          bundle::close);
    } catch (RuntimeException e) {
      bundle.close();
      throw e;
    }
  }

  /**
   * The task head {@code config.json} names, which names the outputs; without a configuration the signature's own
   * names stand.
   */
  private static Optional<TaskHead> taskHead(LoadRequest request) {
    if (request.config().isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(TaskHead.of(ModelConfig.fromMap(request.config())));
    } catch (ModelLoadException e) {
      throw new ModelLoadException(request.modelDirectory() + ": " + e.getMessage(), e);
    }
  }
}
