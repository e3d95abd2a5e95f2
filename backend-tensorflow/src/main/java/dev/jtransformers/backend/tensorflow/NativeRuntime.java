package dev.jtransformers.backend.tensorflow;

import dev.jtransformers.api.BackendException;
import java.nio.file.Path;
import java.util.Optional;
import org.tensorflow.TensorFlow;

/**
 * TensorFlow Java's native runtime: where it is unpacked, whether its GPU build is at hand, and starting it.
 *
 * <p>JavaCPP unpacks the runtime (about 680 MB) out of its jar on first use into the directory named by the system
 * property {@value #CACHE_PROPERTY}, which it reads once; so before anything loads it, {@link #prepare} points that
 * property into the cache directory of the {@link dev.jtransformers.spi.LoadRequest}, unless the user set it.
 *
 * <p>Never loads native code itself, except in {@link #start}.
 */
final class NativeRuntime {
  static final String CACHE_PROPERTY = "org.bytedeco.javacpp.cachedir";

  /** A file only the GPU build ({@code tensorflow-core-native:linux-x86_64-gpu}) ships, in JavaCPP's layout. */
  private static final String GPU_BUILD_RESOURCE = "org/tensorflow/internal/c_api/linux-x86_64-gpu/libjnitensorflow.so";

  /** The property is process-wide and read once by JavaCPP, so the first load decides. */
  private static boolean prepared;

  private NativeRuntime() {}

  /** Points JavaCPP's cache into {@code cacheDirectory}, once per JVM and unless the user configured it. */
  static synchronized void prepare(Optional<Path> cacheDirectory) {
    if (prepared) {
      return;
    }
    prepared = true;
    if (cacheDirectory.isPresent() && System.getProperty(CACHE_PROPERTY) == null) {
      System.setProperty(CACHE_PROPERTY, cacheDirectory.get().resolve("native").resolve("javacpp").toString());
    }
  }

  /** Whether TensorFlow's GPU build is on the classpath; a GPU is needed as well to use it. */
  static boolean hasGpuBuild() {
    return NativeRuntime.class.getClassLoader().getResource(GPU_BUILD_RESOURCE) != null;
  }

  /**
   * Loads the runtime if it is not loaded yet.
   *
   * @return its version, e.g. {@code 2.18.0}
   * @throws BackendException if the native libraries are missing for this platform or fail to load
   */
  static String start() {
    try {
      return TensorFlow.version();
    } catch (RuntimeException | LinkageError e) {
      throw new BackendException(
          "TensorFlow failed to start (this platform needs its org.tensorflow:tensorflow-core-native jar): " + e, e);
    }
  }
}
