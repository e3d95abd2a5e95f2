package dev.jtransformers.backend.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import dev.jtransformers.api.BackendException;
import dev.jtransformers.api.Device;
import dev.jtransformers.api.Model;
import dev.jtransformers.api.ModelLoadException;
import dev.jtransformers.api.ModelOptions;
import dev.jtransformers.models.Cache;
import dev.jtransformers.models.ModelConfig;
import dev.jtransformers.spi.Backend;
import dev.jtransformers.spi.ModelFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Runs ONNX models with ONNX Runtime: a model directory with {@code onnx/model.onnx} (Hugging Face's layout) or
 * {@code model.onnx}. On the CPU with the {@code com.microsoft.onnxruntime:onnxruntime} jar; on CUDA GPUs with
 * {@code onnxruntime_gpu} instead.
 *
 * <p>Backend-specific {@linkplain ModelOptions#properties() properties}: {@value #OPTIMIZATION_LEVEL} = {@code none},
 * {@code basic}, {@code extended} or {@code all} (the default): how much ONNX Runtime rewrites the graph when loading.
 *
 * <p>Discovery is cheap: the native runtime is loaded by the first {@link #load}, with its libraries kept in the
 * JTransformers {@link Cache} rather than unpacked anew on every start.
 */
public final class OnnxBackend implements Backend {
  /** The property selecting ONNX Runtime's graph optimisation level. */
  public static final String OPTIMIZATION_LEVEL = "optimization_level";

  private static final Map<String, OptLevel> OPTIMIZATION_LEVELS =
      Map.of(
          "none", OptLevel.NO_OPT,
          "basic", OptLevel.BASIC_OPT,
          "extended", OptLevel.EXTENDED_OPT,
          "all", OptLevel.ALL_OPT);

  /** Where model graphs are looked for in a model directory, in order. */
  private static final List<String> MODEL_FILES = List.of("onnx/model.onnx", "model.onnx");

  /** Creates the backend; loads nothing native. */
  public OnnxBackend() {}

  @Override
  public String name() {
    return "onnx";
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

  @Override
  public Set<ModelFormat> modelFormats() {
    return EnumSet.of(ModelFormat.ONNX);
  }

  @Override
  public boolean canLoad(Path modelDirectory) {
    Objects.requireNonNull(modelDirectory, "modelDirectory");
    return modelFile(modelDirectory).isPresent();
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException if {@value #OPTIMIZATION_LEVEL} has an unknown value
   */
  @Override
  public Model load(Path modelDirectory, ModelOptions options) {
    Objects.requireNonNull(modelDirectory, "modelDirectory");
    Objects.requireNonNull(options, "options");
    OptLevel optimization = optimizationLevel(options);
    Path file =
        modelFile(modelDirectory)
            .orElseThrow(
                () ->
                    new ModelLoadException(
                        "no ONNX model in " + modelDirectory + ": expected one of " + MODEL_FILES));
    OptionalInt hiddenSize = hiddenSize(modelDirectory);

    NativeLibraries.prepare(Cache.atDefaultLocation()); // before the first use of ONNX Runtime initialises it
    OrtEnvironment environment = environment();
    OrtSession session;
    try (OrtSession.SessionOptions sessionOptions = sessionOptions(options, optimization)) {
      session = environment.createSession(file.toString(), sessionOptions);
    } catch (OrtException e) {
      if (e.getCode() == OrtException.OrtErrorCode.ORT_EP_FAIL) {
        // The device's execution provider failed, not the model.
        throw new BackendException("ONNX Runtime cannot run on " + options.device() + ": " + e.getMessage(), e);
      }
      throw new ModelLoadException("ONNX Runtime cannot load " + file + ": " + e.getMessage(), e);
    }
    try {
      return OnnxModel.create(environment, session, file, hiddenSize);
    } catch (OrtException e) {
      closeAfterFailure(session, e);
      throw new ModelLoadException("ONNX Runtime cannot describe the graph of " + file + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      closeAfterFailure(session, e);
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

  private static Optional<Path> modelFile(Path directory) {
    return MODEL_FILES.stream().map(directory::resolve).filter(Files::isRegularFile).findFirst();
  }

  /** The hidden size from {@code config.json}, which names outputs by width; graphs without one go without. */
  private static OptionalInt hiddenSize(Path directory) {
    return Files.exists(directory.resolve(ModelConfig.FILE_NAME))
        ? OptionalInt.of(ModelConfig.load(directory).hiddenSize())
        : OptionalInt.empty();
  }

  private static OptLevel optimizationLevel(ModelOptions options) {
    String level = options.properties().getOrDefault(OPTIMIZATION_LEVEL, "all");
    OptLevel optLevel = OPTIMIZATION_LEVELS.get(level);
    if (optLevel == null) {
      throw new IllegalArgumentException(
          "unknown " + OPTIMIZATION_LEVEL + " '" + level + "': expected one of none, basic, extended, all");
    }
    return optLevel;
  }

  private static OrtEnvironment environment() {
    try {
      return OrtEnvironment.getEnvironment();
    } catch (RuntimeException | LinkageError e) {
      throw new BackendException("ONNX Runtime failed to start: " + e, e);
    }
  }

  private static OrtSession.SessionOptions sessionOptions(ModelOptions options, OptLevel optimization) {
    OrtSession.SessionOptions sessionOptions = new OrtSession.SessionOptions();
    try {
      sessionOptions.setOptimizationLevel(optimization);
      if (options.intraOpThreads() > 0) {
        sessionOptions.setIntraOpNumThreads(options.intraOpThreads());
      }
      if (options.interOpThreads() > 0) {
        sessionOptions.setInterOpNumThreads(options.interOpThreads());
        // ONNX Runtime uses inter-op threads only when it runs independent operators in parallel.
        if (options.interOpThreads() > 1) {
          sessionOptions.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.PARALLEL);
        }
      }
      if (options.device().type() == Device.Type.CUDA) {
        addCuda(sessionOptions, options.device());
      }
      return sessionOptions;
    } catch (OrtException e) {
      sessionOptions.close();
      throw new BackendException("ONNX Runtime rejected the options " + options + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      sessionOptions.close();
      throw e;
    }
  }

  private static void addCuda(OrtSession.SessionOptions sessionOptions, Device device) {
    if (!OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
      throw new BackendException(
          "device "
              + device
              + " needs ONNX Runtime's GPU build: replace com.microsoft.onnxruntime:onnxruntime with"
              + " com.microsoft.onnxruntime:onnxruntime_gpu (same version); this one provides "
              + OrtEnvironment.getAvailableProviders());
    }
    try {
      sessionOptions.addCUDA(device.index());
    } catch (OrtException e) {
      throw new BackendException("ONNX Runtime cannot use " + device + ": " + e.getMessage(), e);
    }
  }
}
