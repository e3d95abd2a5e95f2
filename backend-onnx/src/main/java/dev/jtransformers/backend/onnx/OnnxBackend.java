package dev.jtransformers.backend.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import ai.onnxruntime.OrtSession;
import dev.jtransformers.api.BackendException;
import dev.jtransformers.api.Device;
import dev.jtransformers.api.Model;
import dev.jtransformers.api.ModelLoadException;
import dev.jtransformers.architectures.TaskHead;
import dev.jtransformers.models.ModelConfig;
import dev.jtransformers.spi.Backend;
import dev.jtransformers.spi.BackendOption;
import dev.jtransformers.spi.LoadRequest;
import dev.jtransformers.spi.ModelFormat;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs ONNX models with ONNX Runtime: a model directory with {@code onnx/model.onnx} (Hugging Face's layout) or
 * {@code model.onnx}. On the CPU with the {@code com.microsoft.onnxruntime:onnxruntime} jar; on CUDA GPUs with
 * {@code onnxruntime_gpu} instead.
 *
 * <p>Its one option, {@code onnx.optimization_level} ({@link #OPTIMIZATION_LEVEL}): how much ONNX Runtime rewrites
 * the graph when loading, {@code none}, {@code basic}, {@code extended} or {@code all} (the default).
 *
 * <p>Discovery is cheap: the native runtime is loaded by the first {@link #load}, with its libraries kept in the
 * request's {@linkplain LoadRequest#cacheDirectory() cache directory} rather than unpacked anew on every start.
 */
public final class OnnxBackend implements Backend {
  /** ONNX Runtime's graph optimisation levels, by the names configuration uses. */
  public enum OptimizationLevel {
    NONE(OptLevel.NO_OPT),
    BASIC(OptLevel.BASIC_OPT),
    EXTENDED(OptLevel.EXTENDED_OPT),
    ALL(OptLevel.ALL_OPT);

    private final OptLevel ortLevel;

    OptimizationLevel(OptLevel ortLevel) {
      this.ortLevel = ortLevel;
    }
  }

  /** How much ONNX Runtime rewrites the graph when loading: {@code onnx.optimization_level}. */
  public static final BackendOption<OptimizationLevel> OPTIMIZATION_LEVEL =
      BackendOption.choice(
          "optimization_level", "how much ONNX Runtime rewrites the graph when loading it", OptimizationLevel.ALL);

  /** What CUDA devices need when the GPU build is not at hand. */
  /** The environment variable that stops all of ONNX Runtime's telemetry, read once when it starts. */
  public static final String TELEMETRY_OPT_OUT = "ORT_DISABLE_TELEMETRY";

  private static final Logger LOG = LoggerFactory.getLogger(OnnxBackend.class);
  private static final AtomicBoolean TELEMETRY_WARNED = new AtomicBoolean();

  private static final String GPU_BUILD_HINT =
      "use com.microsoft.onnxruntime:onnxruntime_gpu in place of com.microsoft.onnxruntime:onnxruntime (same version)";

  /** Creates the backend; loads nothing native. */
  public OnnxBackend() {}

  @Override
  public String name() {
    return "onnx";
  }

  @Override
  public String artifact() {
    return "dev.jtransformers:jtransformers-backend-onnx";
  }

  @Override
  public int priority() {
    return 100;
  }

  @Override
  public Set<Device.Type> supportedDevices() {
    return NativeLibraries.hasCudaProvider()
        ? EnumSet.of(Device.Type.CPU, Device.Type.CUDA)
        : EnumSet.of(Device.Type.CPU);
  }

  /** For a CUDA device without ONNX Runtime's GPU build at hand: use that build. */
  @Override
  public Optional<String> deviceHint(Device device) {
    Objects.requireNonNull(device, "device");
    return device.type() == Device.Type.CUDA && !NativeLibraries.hasCudaProvider()
        ? Optional.of(GPU_BUILD_HINT)
        : Optional.empty();
  }

  @Override
  public List<ModelFormat> modelFormats() {
    return List.of(ModelFormat.ONNX);
  }

  @Override
  public List<BackendOption<?>> options() {
    return List.of(OPTIMIZATION_LEVEL);
  }

  @Override
  public Model load(LoadRequest request) {
    Objects.requireNonNull(request, "request");
    Path file = requireModelFile(request);
    TaskHead head = taskHead(request);

    NativeLibraries.prepare(request.cacheDirectory()); // before the first use of ONNX Runtime initialises it
    OrtEnvironment environment = environment();
    OrtSession session;
    List<OnnxTensor> initializers = List.of();
    try (OrtSession.SessionOptions sessionOptions = sessionOptions(request)) {
      initializers = AdapterInitializers.add(environment, request, file, sessionOptions);
      session = environment.createSession(file.toString(), sessionOptions);
    } catch (OrtException e) {
      initializers.forEach(OnnxTensor::close);
      if (e.getCode() == OrtException.OrtErrorCode.ORT_EP_FAIL) {
        // The device's execution provider failed, not the model.
        throw new BackendException("ONNX Runtime cannot run on " + request.device() + ": " + e.getMessage(), e);
      }
      throw new ModelLoadException("ONNX Runtime cannot load " + file + ": " + e.getMessage(), e);
    }
    try {
      return OnnxModel.create(environment, session, file, head, initializers);
    } catch (OrtException e) {
      closeAfterFailure(session, e);
      initializers.forEach(OnnxTensor::close);
      throw new ModelLoadException("ONNX Runtime cannot describe the graph of " + file + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      closeAfterFailure(session, e);
      initializers.forEach(OnnxTensor::close);
      throw e;
    }
  }

  private static void closeAfterFailure(OrtSession session, Exception failure) {
    try {
      session.close();
    } catch (OrtException e) {
      failure.addSuppressed(e);
    }
  }

  /**
   * The task head {@code config.json} names, which names the graph's outputs; a graph without a configuration is
   * taken for a bare encoder.
   */
  private static TaskHead taskHead(LoadRequest request) {
    if (request.config().isEmpty()) {
      return TaskHead.BASE;
    }
    try {
      return TaskHead.of(ModelConfig.fromMap(request.config()));
    } catch (ModelLoadException e) {
      throw new ModelLoadException(request.modelDirectory() + ": " + e.getMessage(), e);
    }
  }

  /**
   * The process's ONNX Runtime environment, with telemetry events off. ONNX Runtime reads its full opt-out, {@value
   * #TELEMETRY_OPT_OUT}=1, only from the process environment before it starts (the CLI relaunches itself with it);
   * without it ONNX Runtime has already written a device id when the environment is created, which is logged once.
   */
  private static OrtEnvironment environment() {
    try {
      OrtEnvironment environment = OrtEnvironment.getEnvironment();
      environment.setTelemetry(false);
      if (System.getenv(TELEMETRY_OPT_OUT) == null && TELEMETRY_WARNED.compareAndSet(false, true)) {
        LOG.warn("ONNX Runtime records telemetry at start-up unless the environment sets {}=1; JTransformers turned"
            + " its events off, set the variable before starting the JVM to stop all of it", TELEMETRY_OPT_OUT);
      }
      return environment;
    } catch (OrtException e) {
      throw new BackendException("ONNX Runtime cannot turn its telemetry off: " + e.getMessage(), e);
    } catch (RuntimeException | LinkageError e) {
      throw new BackendException("ONNX Runtime failed to start: " + e, e);
    }
  }

  private static OrtSession.SessionOptions sessionOptions(LoadRequest request) {
    OrtSession.SessionOptions sessionOptions = new OrtSession.SessionOptions();
    try {
      sessionOptions.setOptimizationLevel(request.options().get(OPTIMIZATION_LEVEL).ortLevel);
      if (request.intraOpThreads() > 0) {
        sessionOptions.setIntraOpNumThreads(request.intraOpThreads());
      }
      if (request.interOpThreads() > 0) {
        sessionOptions.setInterOpNumThreads(request.interOpThreads());
        // ONNX Runtime uses inter-op threads only when it runs independent operators in parallel.
        if (request.interOpThreads() > 1) {
          sessionOptions.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.PARALLEL);
        }
      }
      if (request.device().type() == Device.Type.CUDA) {
        addCuda(sessionOptions, request.device());
      }
      return sessionOptions;
    } catch (OrtException e) {
      sessionOptions.close();
      throw new BackendException("ONNX Runtime rejected the options of " + request + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      sessionOptions.close();
      throw e;
    }
  }

  private static void addCuda(OrtSession.SessionOptions sessionOptions, Device device) {
    if (!OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
      throw new BackendException(
          "device " + device + " needs ONNX Runtime's GPU build: " + GPU_BUILD_HINT + "; this one provides "
              + OrtEnvironment.getAvailableProviders());
    }
    try {
      sessionOptions.addCUDA(device.index());
    } catch (OrtException e) {
      throw new BackendException("ONNX Runtime cannot use " + device + ": " + e.getMessage(), e);
    }
  }
}
