package dev.jtransformers.backend.onnx;

import ai.onnxruntime.OrtEnvironment;
import dev.jtransformers.models.Cache;
import dev.jtransformers.models.ResourceFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps ONNX Runtime's native libraries in the cache directory a {@link dev.jtransformers.spi.LoadRequest} names.
 * Left alone, ONNX Runtime copies them (about
 * 30 MB) out of its jar into a new temporary directory on every start; it loads them instead from the directory
 * named by the system property {@value #PATH_PROPERTY}, which it reads once, when it initialises (1.29's {@code
 * ai.onnxruntime.OnnxRuntime.init()}). So before anything initialises it, this class unpacks the libraries once into
 * {@code <cache>/native/onnxruntime-<version>-<platform>/} and sets that property, unless the user has configured
 * any {@code onnxruntime.native.*} property.
 *
 * <p>Never loads native code itself: touching {@code OrtEnvironment.class} does not initialise it.
 */
final class NativeLibraries {
  static final String PATH_PROPERTY = "onnxruntime.native.path";

  private static final String PROPERTY_PREFIX = "onnxruntime.native.";

  private static final Logger LOG = LoggerFactory.getLogger(NativeLibraries.class);

  /** Every library ONNX Runtime's jars may hold: the runtime, its JNI binding, and execution providers. */
  private static final List<String> LIBRARIES =
      List.of(
          "onnxruntime",
          "onnxruntime4j_jni",
          "onnxruntime_providers_shared",
          "onnxruntime_providers_cuda",
          "onnxruntime_providers_rocm",
          "onnxruntime_providers_dnnl",
          "onnxruntime_providers_openvino",
          "onnxruntime_providers_tensorrt",
          "onnxruntime_providers_qnn",
          "webgpu_dawn",
          "dxil",
          "dxcompiler");

  private static final String CUDA_PROVIDER = "onnxruntime_providers_cuda";

  /** The property is process-wide and read once by ONNX Runtime, so the work is done once per JVM. */
  private static boolean prepared;

  private NativeLibraries() {}

  /**
   * Points ONNX Runtime at libraries unpacked into the cache directory, once per JVM: the first load decides, since
   * ONNX Runtime reads the location once. Without a cache directory, or failing to unpack, ONNX Runtime unpacks them
   * into a temporary directory as usual.
   */
  static synchronized void prepare(Optional<Path> cacheDirectory) {
    if (prepared) {
      return;
    }
    prepared = true;
    if (cacheDirectory.isEmpty() || userConfigured()) {
      return;
    }
    Cache cache = new Cache(cacheDirectory.get());
    Optional<String> platform = platform();
    String version = OrtEnvironment.class.getPackage().getImplementationVersion();
    if (platform.isEmpty() || version == null) {
      return; // unknown platform or a repackaged jar: nothing to key the cache by
    }
    List<ResourceFile> files =
        LIBRARIES.stream()
            .map(library -> resource(platform.get(), library))
            .filter(resource -> loader().getResource(resource) != null)
            .map(resource -> new ResourceFile(resource, resource.substring(resource.lastIndexOf('/') + 1)))
            .toList();
    if (files.isEmpty()) {
      return; // a jar without native libraries: ONNX Runtime loads them from java.library.path
    }
    String flavour = hasCudaProvider() ? "-gpu" : "";
    String directory = "native/onnxruntime-" + version + "-" + platform.get() + flavour;
    try {
      Path libraries = cache.materialize(directory, files, loader());
      System.setProperty(PATH_PROPERTY, libraries.toString());
    } catch (IOException e) {
      LOG.warn("cannot unpack ONNX Runtime's native libraries into {}; unpacking them into a temporary directory"
          + " removed at exit: {}", cache.root().resolve(directory), e.toString());
      unpackForThisRun(directory, files);
    }
  }

  /**
   * Unpacks the libraries into a temporary cache deleted at exit. ONNX Runtime's own fallback would leave an empty
   * {@code onnxruntime-java*} directory behind on every run.
   */
  private static void unpackForThisRun(String directory, List<ResourceFile> files) {
    try {
      Path libraries = Cache.forThisRun("jtransformers-onnxruntime-").materialize(directory, files, loader());
      System.setProperty(PATH_PROPERTY, libraries.toString());
    } catch (IOException e) {
      LOG.warn("cannot unpack ONNX Runtime's native libraries into a temporary directory either; ONNX Runtime will"
          + " unpack them itself: {}", e.toString());
    }
  }

  /** Whether ONNX Runtime's CUDA provider is at hand: in the jar (the GPU build) or the configured directory. */
  static boolean hasCudaProvider() {
    String directory = System.getProperty(PATH_PROPERTY);
    if (directory != null && Files.exists(Path.of(directory, libraryFileName(CUDA_PROVIDER)))) {
      return true;
    }
    return platform().map(p -> loader().getResource(resource(p, CUDA_PROVIDER)) != null).orElse(false);
  }

  private static boolean userConfigured() {
    return System.getProperties().stringPropertyNames().stream().anyMatch(name -> name.startsWith(PROPERTY_PREFIX));
  }

  private static ClassLoader loader() {
    return OrtEnvironment.class.getClassLoader();
  }

  /** Where ONNX Runtime's jar keeps a library, e.g. {@code ai/onnxruntime/native/linux-x64/libonnxruntime.so}. */
  private static String resource(String platform, String library) {
    return "ai/onnxruntime/native/" + platform + "/" + libraryFileName(library);
  }

  private static String libraryFileName(String library) {
    return System.mapLibraryName(library).replace(".jnilib", ".dylib");
  }

  /** The platform folder name ONNX Runtime uses in its jar, e.g. {@code linux-x64}, {@code osx-aarch64}. */
  private static Optional<String> platform() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    String osName =
        os.contains("mac") || os.contains("darwin")
            ? "osx"
            : os.contains("win") ? "win" : os.contains("nux") ? "linux" : null;
    String archName =
        arch.startsWith("amd64") || arch.startsWith("x86_64")
            ? "x64"
            : arch.startsWith("aarch64") ? "aarch64" : null;
    return osName == null || archName == null ? Optional.empty() : Optional.of(osName + "-" + archName);
  }
}
