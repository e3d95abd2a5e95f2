package dev.jtransformers.backend.pytorch;

import ai.djl.engine.Engine;
import dev.jtransformers.api.BackendException;
import dev.jtransformers.models.Cache;
import dev.jtransformers.models.ResourceFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts DJL's PyTorch engine, once per JVM, on the libtorch that ships in {@code ai.djl.pytorch:pytorch-native-*}:
 * offline and without telemetry unless the user asks otherwise, with libtorch unpacked into the project's cache.
 *
 * <p>DJL reads its switches from environment variables or system properties when its {@code Engine} class
 * initialises, and calls home from there. So before touching it, unless the user has set them:
 *
 * <ul>
 *   <li>{@value #TRACKING} is set to {@code true}: no telemetry. Set it to {@code false} (variable or {@code -D})
 *       to allow DJL's telemetry, which also needs {@code -Dai.djl.offline=false}.
 *   <li>{@value #OFFLINE} is set to {@code true}: DJL downloads nothing; everything it needs is in the jars.
 *   <li>Left alone, DJL copies libtorch (about 450 MB) into {@code ~/.djl.ai} and may delete a copy another process
 *       is still filling. Instead this class unpacks it with {@link Cache#materialize} (atomically, once, safe for
 *       concurrent processes) into {@code <cache>/native/pytorch-<version>-<flavor>-<platform>/}, together with
 *       DJL's JNI library, and points {@value #LIBRARY_PATH} there. A user's own {@value #LIBRARY_PATH} wins.
 * </ul>
 */
final class LibTorch {
  static final String TRACKING = "OPT_OUT_TRACKING";
  static final String OFFLINE = "ai.djl.offline";
  static final String LIBRARY_PATH = "PYTORCH_LIBRARY_PATH";
  static final String INTRA_OP_THREADS = "ai.djl.pytorch.num_threads";
  static final String INTER_OP_THREADS = "ai.djl.pytorch.num_interop_threads";

  private static final String ENGINE_NAME = "PyTorch";
  private static final String NATIVE_PROPERTIES = "native/lib/pytorch.properties";
  private static final String JNI_LIBRARY = System.mapLibraryName("djl_torch");

  private static final Logger LOG = LoggerFactory.getLogger(LibTorch.class);

  /** The started engine; DJL's engine is process-wide, so the first start decides where libtorch comes from. */
  private static Engine engine;

  private LibTorch() {}

  /**
   * The PyTorch engine, started on first call.
   *
   * @param cacheDirectory where to unpack libtorch; empty: where DJL unpacks it alone
   * @param intraOpThreads libtorch's threads inside an operator, 0 for its default; process-wide, so the first start
   *     decides
   * @param interOpThreads libtorch's threads across operators, 0 for its default; likewise
   * @throws BackendException if libtorch can't be unpacked or loaded
   */
  static synchronized Engine engine(Optional<Path> cacheDirectory, int intraOpThreads, int interOpThreads) {
    if (engine == null) {
      setUnlessConfigured(TRACKING, "true");
      setUnlessConfigured(OFFLINE, "true");
      if (intraOpThreads > 0) {
        setUnlessConfigured(INTRA_OP_THREADS, Integer.toString(intraOpThreads));
      }
      if (interOpThreads > 0) {
        setUnlessConfigured(INTER_OP_THREADS, Integer.toString(interOpThreads));
      }
      cacheDirectory.ifPresent(LibTorch::unpack);
      try {
        engine = Engine.getEngine(ENGINE_NAME);
      } catch (RuntimeException | LinkageError e) {
        throw new BackendException(
            "libtorch failed to start (" + e + "); its native jar (ai.djl.pytorch:pytorch-native-cpu with this"
                + " platform's classifier) must be on the classpath", e);
      }
    }
    return engine;
  }

  /**
   * The flavour of the libtorch on the classpath ({@code cpu}, {@code cu128}...), read from its jar without loading
   * it; empty without one.
   */
  static Optional<String> flavor() {
    return nativeProperties().map(p -> p.getProperty("flavor"));
  }

  private static void setUnlessConfigured(String name, String value) {
    if (System.getenv(name) == null && System.getProperty(name) == null) {
      System.setProperty(name, value);
    }
  }

  private static void unpack(Path cacheDirectory) {
    if (System.getenv(LIBRARY_PATH) != null || System.getProperty(LIBRARY_PATH) != null) {
      return;
    }
    Optional<Properties> properties = nativeProperties();
    if (properties.isEmpty()) {
      return; // no libtorch jar: DJL reports that when it starts
    }
    String version = properties.get().getProperty("version");
    String flavor = properties.get().getProperty("flavor");
    String platform = properties.get().getProperty("classifier");
    String libraries = properties.get().getProperty("libraries", "");
    String location = "pytorch/" + flavor + "/" + platform + "/";
    List<ResourceFile> files = new ArrayList<>();
    Arrays.stream(libraries.split(",")).map(String::trim).filter(name -> !name.isEmpty())
        .forEach(name -> files.add(new ResourceFile(location + name, name)));
    files.add(new ResourceFile("jnilib/" + platform + "/" + flavor + "/" + JNI_LIBRARY, JNI_LIBRARY));
    Cache cache = new Cache(cacheDirectory);
    String directory = "native/pytorch-" + version + "-" + flavor + "-" + platform;
    try {
      long start = System.nanoTime();
      Path unpacked = cache.materialize(directory, files, LibTorch.class.getClassLoader());
      LOG.debug("libtorch ready in {} ({} ms)", unpacked, (System.nanoTime() - start) / 1_000_000);
      System.setProperty(LIBRARY_PATH, unpacked.toString());
    } catch (IOException e) {
      LOG.warn(
          "cannot unpack libtorch into {}; DJL will unpack it into its own cache: {}",
          cache.root().resolve(directory),
          e.toString());
    }
  }

  private static Optional<Properties> nativeProperties() {
    try (InputStream in = LibTorch.class.getClassLoader().getResourceAsStream(NATIVE_PROPERTIES)) {
      if (in == null) {
        return Optional.empty();
      }
      Properties properties = new Properties();
      properties.load(in);
      return Optional.of(properties);
    } catch (IOException e) {
      throw new BackendException("cannot read " + NATIVE_PROPERTIES + " from libtorch's jar: " + e, e);
    }
  }
}
