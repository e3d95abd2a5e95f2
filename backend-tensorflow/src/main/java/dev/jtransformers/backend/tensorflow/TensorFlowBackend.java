package dev.jtransformers.backend.tensorflow;

import dev.jtransformers.api.BackendException;
import dev.jtransformers.api.Device;
import dev.jtransformers.api.Model;
import dev.jtransformers.api.ModelLoadException;
import dev.jtransformers.spi.Backend;
import dev.jtransformers.spi.LoadRequest;
import dev.jtransformers.spi.ModelFormat;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.exceptions.TensorFlowException;

/**
 * Runs models with TensorFlow Java ({@code org.tensorflow:tensorflow-core-api}): TensorFlow SavedModels through
 * their {@code serving_default} signature, and BERT / DistilBERT checkpoints ({@code model.safetensors} with {@code
 * config.json}, every task head) as TensorFlow graphs the neutral forward pass builds once per model. On the CPU
 * with the {@code tensorflow-core-native} {@code linux-x86_64} jar; on a CUDA GPU with its {@code linux-x86_64-gpu}
 * build instead. {@link SavedModelExporter} writes the built-in graphs as SavedModels.
 *
 * <p>TensorFlow's native runtime logs to stderr at the level the environment variable {@code TF_CPP_MIN_LOG_LEVEL}
 * sets when the runtime starts ({@code 0} everything, {@code 1} warnings and errors, {@code 2} errors); TensorFlow
 * Java 1.1 has no API to change it from the JVM, so set it before starting Java: {@code TF_CPP_MIN_LOG_LEVEL=1} for
 * quiet, {@code 0} to see TensorFlow's own progress messages.
 *
 * <p>Discovery is cheap: the runtime is loaded by the first {@link #load}, unpacked into the request's {@linkplain
 * LoadRequest#cacheDirectory() cache directory} once.
 */
public final class TensorFlowBackend implements Backend {
  /** What CUDA devices need when the GPU build is not at hand. */
  static final String GPU_BUILD_HINT =
      "use org.tensorflow:tensorflow-core-native:1.1.0:linux-x86_64-gpu in place of the linux-x86_64 classifier"
          + " (needs CUDA 12 at run time)";

  /** Creates the backend; loads nothing native. */
  public TensorFlowBackend() {}

  @Override
  public String name() {
    return "tensorflow";
  }

  @Override
  public String artifact() {
    return "dev.jtransformers:jtransformers-backend-tensorflow";
  }

  /** Below ONNX Runtime's, which is faster on the same graphs on the CPU. */
  @Override
  public int priority() {
    return 50;
  }

  @Override
  public Set<Device.Type> supportedDevices() {
    return NativeRuntime.hasGpuBuild() ? EnumSet.of(Device.Type.CPU, Device.Type.CUDA) : EnumSet.of(Device.Type.CPU);
  }

  /** For a CUDA device without TensorFlow's GPU build at hand: use that build. */
  @Override
  public Optional<String> deviceHint(Device device) {
    Objects.requireNonNull(device, "device");
    return device.type() == Device.Type.CUDA && !NativeRuntime.hasGpuBuild()
        ? Optional.of(GPU_BUILD_HINT)
        : Optional.empty();
  }

  /** SavedModels first: a directory that holds one was exported for TensorFlow. */
  @Override
  public List<ModelFormat> modelFormats() {
    return List.of(ModelFormat.TENSORFLOW_SAVED_MODEL, ModelFormat.SAFETENSORS, ModelFormat.ONNX);
  }

  @Override
  public Model load(LoadRequest request) {
    Objects.requireNonNull(request, "request");
    Path file = requireModelFile(request); // a wrong format or missing model fails before the runtime starts
    if (request.adapter().isPresent() && request.format() == ModelFormat.TENSORFLOW_SAVED_MODEL) {
      throw new ModelLoadException(
          file + ": a SavedModel's weights cannot take an adapter; load the model's safetensors or ONNX weights to"
              + " merge " + request.adapter().get() + " into");
    }
    Placement placement = Placement.of(request);
    NativeRuntime.prepare(request.cacheDirectory()); // before the first use of TensorFlow unpacks it
    NativeRuntime.start();
    placement.requireDevice();
    return request.format() == ModelFormat.TENSORFLOW_SAVED_MODEL
        ? SavedModels.load(request, placement)
        : builtIn(request, placement);
  }

  /** The checkpoint's network as a graph, in a session of its own. */
  private static Model builtIn(LoadRequest request, Placement placement) {
    BuiltInGraph graph = BuiltInGraph.build(request, placement.deviceSpec());
    String where = graph.file().toString();
    Signature signature = graph.signature();
    try {
      List<TensorFlowModel.Input> inputs = Signatures.inputs(signature, where);
      Map<String, String> outputs = Signatures.floatOutputs(signature, Optional.empty(), where);
      Session session = graph.openSession(placement.config()); // last: nothing after it can fail
      return new TensorFlowModel(
          where,
          session,
          inputs,
          outputs,
          () -> {
            session.close();
            graph.close();
          });
    } catch (TensorFlowException e) {
      graph.close();
      throw new BackendException("TensorFlow cannot start a session for " + where + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      graph.close();
      throw e;
    }
  }
}
