package dev.jtransformers.backend.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
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
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs ONNX models with ONNX Runtime: a model directory with {@code onnx/model.onnx} (Hugging Face's layout) or
 * {@code model.onnx}. On the CPU with the {@code com.microsoft.onnxruntime:onnxruntime} jar; on CUDA GPUs with
 * {@code onnxruntime_gpu} instead.
 *
 * <p>Its options: {@code onnx.optimization_level} ({@link #OPTIMIZATION_LEVEL}): how much ONNX Runtime rewrites
 * the graph when loading, {@code none}, {@code basic}, {@code extended} or {@code all} (the default); and {@code
 * onnx.allow_spinning} ({@link #ALLOW_SPINNING}): whether ONNX Runtime's idle worker threads spin, {@code false} by
 * default; {@code onnx.cache_optimized_graph} ({@link #CACHE_OPTIMIZED_GRAPH}): whether the optimised graph is kept
 * in the cache directory for later loads, {@code true} by default.
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

  /**
   * Whether idle intra-op worker threads spin waiting for work ({@code onnx.allow_spinning}), ONNX Runtime's own
   * default. Off here: spinning buys a little latency on an idle machine, and on a busy one (two pipelines, a server,
   * a JVM's own threads on the same cores) the spinning threads take the cores the working ones need, which measured
   * in this project's benchmark as a collapse of throughput.
   */
  public static final BackendOption<Boolean> ALLOW_SPINNING =
      BackendOption.parsed("allow_spinning", "whether idle ONNX Runtime worker threads spin waiting for work", "false",
          "true or false", OnnxBackend::parseBoolean);

  /**
   * Whether the graph ONNX Runtime optimised on the first load is kept in the cache directory and loaded from there
   * later ({@code onnx.cache_optimized_graph}, default true; needs a {@linkplain LoadRequest#cacheDirectory() cache
   * directory}, and applies on the CPU only): see {@link OptimizedGraphs}. The kept graph is also the one this backend
   * rewrites further ({@link SkipLayerNormFusion}), so turning the cache off runs the graph as ONNX Runtime optimises
   * it, slower.
   */
  public static final BackendOption<Boolean> CACHE_OPTIMIZED_GRAPH =
      BackendOption.parsed("cache_optimized_graph",
          "whether the graph ONNX Runtime optimised is kept in the cache directory for later loads", "true",
          "true or false", OnnxBackend::parseBoolean);

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
    return List.of(OPTIMIZATION_LEVEL, ALLOW_SPINNING, CACHE_OPTIMIZED_GRAPH);
  }

  @Override
  public Model load(LoadRequest request) {
    Objects.requireNonNull(request, "request");
    Path file = requireModelFile(request);
    TaskHead head = taskHead(request);

    NativeLibraries.prepare(request.cacheDirectory()); // before the first use of ONNX Runtime initialises it
    OrtEnvironment environment = environment();
    // Merged adapter weights outlive the session that reads them; the model closes them with it.
    Map<String, OnnxTensor> adapted = AdapterInitializers.create(environment, request, file);
    List<OnnxTensor> initializers = List.copyOf(adapted.values());
    OrtSession session;
    try {
      session = createSession(environment, file, request, adapted);
    } catch (RuntimeException e) {
      initializers.forEach(OnnxTensor::close);
      throw e;
    }
    return wrap(environment, session, file, head::assignOutputNames, initializers, concurrentCalls(request));
  }

  /**
   * A model over {@code graph}, a rewrite of {@code file} held in memory (the exporter's calibration graph), with its
   * float outputs under their names in the graph; the request's threads and optimisation level, no cache.
   *
   * @throws ModelLoadException naming {@code file}, if ONNX Runtime can't load the graph
   */
  static OnnxModel loadRewritten(LoadRequest request, Path file, byte[] graph) {
    NativeLibraries.prepare(request.cacheDirectory());
    OrtEnvironment environment = environment();
    OrtSession session;
    try (OrtSession.SessionOptions sessionOptions =
        sessionOptions(request, request.options().get(OPTIMIZATION_LEVEL))) {
      session = environment.createSession(graph, sessionOptions);
    } catch (OrtException e) {
      throw new ModelLoadException("ONNX Runtime cannot load a rewrite of " + file + ": " + e.getMessage(), e);
    }
    return wrap(environment, session, file, names -> {
      Map<String, String> same = new LinkedHashMap<>();
      names.forEach(name -> same.put(name, name));
      return same;
    }, List.of(), concurrentCalls(request));
  }

  /**
   * {@link OnnxModel#create}, closing the session and the initializers if it fails.
   *
   * @throws ModelLoadException naming {@code file}, if ONNX Runtime can't describe the graph
   */
  private static OnnxModel wrap(OrtEnvironment environment, OrtSession session, Path file,
      Function<List<String>, Map<String, String>> naming, List<OnnxTensor> initializers, int concurrentCalls) {
    try {
      return OnnxModel.create(environment, session, file, naming, initializers, concurrentCalls);
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

  /**
   * A session on the model file, or on its optimised graph from an earlier load when the cache holds one ({@link
   * OptimizedGraphs}); a first load saves that graph. The saved graph is always the file's own, optimised without the
   * adapter; the adapter's initializers replace its weights by name when a session opens it, as they would the file's.
   */
  private static OrtSession createSession(OrtEnvironment environment, Path file, LoadRequest request,
      Map<String, OnnxTensor> adapted) {
    OptimizationLevel level = request.options().get(OPTIMIZATION_LEVEL);
    // Only CPU graphs: a graph optimised for a GPU's execution provider holds that provider's nodes.
    boolean cacheable = level != OptimizationLevel.NONE && request.device().type() == Device.Type.CPU
        && request.options().get(CACHE_OPTIMIZED_GRAPH);
    Optional<OptimizedGraphs> graphs = cacheable
        ? request.cacheDirectory().map(directory -> OptimizedGraphs.in(directory, environment))
        : Optional.empty();
    if (graphs.isEmpty()) {
      return open(environment, file, file, request, level, adapted, null);
    }
    Path cached;
    Path staging;
    try {
      cached = graphs.get().location(file, level);
      if (Files.isRegularFile(cached)) {
        try {
          return openCached(environment, cached, file, request, level, adapted);
        } catch (ModelLoadException e) {
          LOG.warn("the optimised graph of {} cached in {} is unreadable, so it is replaced: {}", file, cached,
              e.getMessage());
          Files.deleteIfExists(cached);
        }
      }
      staging = OptimizedGraphs.staging(cached);
    } catch (IOException e) {
      LOG.warn("cannot keep the optimised graph of {} in {}: {}", file, request.cacheDirectory().orElseThrow(),
          e.toString());
      return open(environment, file, file, request, level, adapted, null);
    }
    OrtSession saving;
    try {
      saving = open(environment, file, file, request, OptimizedGraphs.savedLevel(level), Map.of(), staging);
    } catch (ModelLoadException e) {
      // Saving can fail where loading does not (a graph past protobuf's 2 GB in one file): load without it.
      deleteQuietly(staging);
      return open(environment, file, file, request, level, adapted, null);
    }
    int fused;
    try {
      fused = fuseSkipLayerNorms(staging, file);
      OptimizedGraphs.publish(staging, cached);
    } catch (IOException e) {
      LOG.warn("cannot keep the optimised graph of {} in {}: {}", file, cached, e.toString());
      deleteQuietly(staging);
      return adapted.isEmpty() ? saving : reopen(saving, () -> open(environment, file, file, request, level, adapted,
          null));
    }
    if (fused == 0 && adapted.isEmpty()) {
      return saving;
    }
    return reopen(saving, () -> {
      try {
        return openCached(environment, cached, file, request, level, adapted);
      } catch (ModelLoadException e) {
        LOG.warn("ONNX Runtime refused the rewritten graph of {}, so the file is loaded: {}", file, e.getMessage());
        deleteQuietly(cached);
        return open(environment, file, file, request, level, adapted, null);
      }
    });
  }

  /**
   * A session on the cached graph; with an adapter, only if the graph still holds every initializer it replaces
   * (ONNX Runtime ignores a replacement whose name the graph lacks, and its optimisations may rename a weight it
   * rewrites), else on the file itself.
   */
  private static OrtSession openCached(OrtEnvironment environment, Path cached, Path file, LoadRequest request,
      OptimizationLevel level, Map<String, OnnxTensor> adapted) {
    if (!adapted.isEmpty() && !initializerNames(cached).containsAll(adapted.keySet())) {
      LOG.debug("the optimised graph of {} lacks weights the adapter replaces, so the file is loaded", file);
      return open(environment, file, file, request, level, adapted, null);
    }
    return open(environment, cached, file, request, level, adapted, null);
  }

  private static Set<String> initializerNames(Path cached) {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(cached))) {
      return GraphProtos.initializerNames(in);
    } catch (IOException e) {
      throw new ModelLoadException("cannot read the optimised graph " + cached + ": " + e.getMessage(), e);
    }
  }

  /**
   * The graph's bytes, if they fit comfortably in the heap (a quarter of it, and under Java's array limit); empty for
   * a larger graph, which is then used as ONNX Runtime wrote it.
   */
  private static Optional<byte[]> readForRewrite(Path graph) throws IOException {
    long limit = Math.min(Integer.MAX_VALUE - 8L, Runtime.getRuntime().maxMemory() / 4);
    if (Files.size(graph) > limit) {
      LOG.debug("{} is too large to rewrite in memory ({} bytes; limit {})", graph, Files.size(graph), limit);
      return Optional.empty();
    }
    return Optional.of(Files.readAllBytes(graph));
  }

  /** Rewrites the saved graph with its residual normalisations fused ({@link SkipLayerNormFusion}): how many. */
  private static int fuseSkipLayerNorms(Path graph, Path file) throws IOException {
    Optional<byte[]> bytes = readForRewrite(graph);
    if (bytes.isEmpty()) {
      return 0;
    }
    SkipLayerNormFusion.Result result = SkipLayerNormFusion.fuse(bytes.get(), file.toString());
    if (result.fused() > 0) {
      Files.write(graph, result.model());
      LOG.debug("fused {} residual additions and layer normalisations of {}", result.fused(), file);
    }
    return result.fused();
  }

  /**
   * The session {@code next} opens in place of {@code session}, which is closed; if {@code next} fails, {@code
   * session} is closed and the failure thrown.
   */
  private static OrtSession reopen(OrtSession session, Supplier<OrtSession> next) {
    try {
      return next.get();
    } finally {
      try {
        session.close();
      } catch (OrtException e) {
        LOG.warn("cannot close the session that saved the optimised graph: {}", e.getMessage());
      }
    }
  }

  /**
   * A session on {@code graph} (the model file or its cached optimised graph), optimised at {@code level}, saving the
   * optimised graph to {@code saveTo} unless it is {@code null}.
   *
   * @param file the model file, which errors name
   * @param adapted initializers that replace the graph's own, by name
   */
  private static OrtSession open(OrtEnvironment environment, Path graph, Path file, LoadRequest request,
      OptimizationLevel level, Map<String, OnnxTensor> adapted, Path saveTo) {
    try (OrtSession.SessionOptions sessionOptions = sessionOptions(request, level)) {
      for (Map.Entry<String, OnnxTensor> initializer : adapted.entrySet()) {
        sessionOptions.addInitializer(initializer.getKey(), initializer.getValue());
      }
      if (saveTo != null) {
        sessionOptions.setOptimizedModelFilePath(saveTo.toString());
      }
      return environment.createSession(graph.toString(), sessionOptions);
    } catch (OrtException e) {
      if (e.getCode() == OrtException.OrtErrorCode.ORT_EP_FAIL) {
        // The device's execution provider failed, not the model.
        throw new BackendException("ONNX Runtime cannot run on " + request.device() + ": " + e.getMessage(), e);
      }
      throw new ModelLoadException("ONNX Runtime cannot load " + file + ": " + e.getMessage(), e);
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      LOG.debug("cannot delete {}: {}", file, e.toString());
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
      // ONNX Runtime would also print each failure to stderr, ANSI-coloured; its message reaches the caller in the
      // exception, so it logs only what is fatal (unless the application created the environment first).
      OrtEnvironment environment = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);
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

  /**
   * How many calls a session of this request runs well at once ({@link dev.jtransformers.api.Model#concurrentCalls}):
   * on CPU with idle threads asleep, as many as it has intra-op threads, since calls side by side share the session's
   * thread pool, each running its operators' pieces on the threads the others leave idle; at two threads this ran
   * batches of 8 short sentences 1.17-1.37x as fast (two runs) as one call at a time, whose threads wait on each other
   * inside every operator. One on CUDA, which runs one call at a time anyway, and with spinning threads, which take the
   * cores from each other.
   */
  static int concurrentCalls(LoadRequest request) {
    if (request.device().type() != Device.Type.CPU || request.options().get(ALLOW_SPINNING)) {
      return 1;
    }
    // ONNX Runtime's default pool has a thread per core.
    return request.intraOpThreads() > 0 ? request.intraOpThreads() : Runtime.getRuntime().availableProcessors();
  }

  private static OrtSession.SessionOptions sessionOptions(LoadRequest request, OptimizationLevel level) {
    OrtSession.SessionOptions sessionOptions = new OrtSession.SessionOptions();
    try {
      sessionOptions.setOptimizationLevel(level.ortLevel);
      if (request.intraOpThreads() > 0) {
        sessionOptions.setIntraOpNumThreads(request.intraOpThreads());
      }
      sessionOptions.addConfigEntry("session.intra_op.allow_spinning", request.options().get(ALLOW_SPINNING) ? "1" : "0");
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

  private static Boolean parseBoolean(String text) {
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "true" -> Boolean.TRUE;
      case "false" -> Boolean.FALSE;
      default -> throw new IllegalArgumentException("not a boolean");
    };
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
