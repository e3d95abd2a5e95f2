package dev.jtransformers.backend.onnx;

import ai.onnxruntime.OrtEnvironment;
import dev.jtransformers.backend.onnx.OnnxBackend.OptimizationLevel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;

/**
 * Graphs ONNX Runtime has optimised once, kept in the cache directory ({@code <cache>/onnx-optimized/<key>/model.onnx})
 * so that later loads skip the rewriting (about a third of the session start for all-MiniLM-L6-v2). The key is the
 * model file (path, size, modification time), ONNX Runtime's version, the optimisation level and the version of this
 * backend's own rewrites of the saved graph ({@link SkipLayerNormFusion}), so an edited model, another runtime or
 * other rewrites get a new entry. Graphs are saved at most at the {@code extended} level: {@code all} adds layout
 * rewrites for this machine's vector width, which are redone on every load instead. An entry appears atomically (written
 * beside it, then renamed), so concurrent loads never read half a graph. Immutable and thread-safe.
 */
final class OptimizedGraphs {
  private static final String DIRECTORY = "onnx-optimized";
  private static final String FILE = "model.onnx";
  /** Changes whenever the rewrites applied to a saved graph do, so older entries are not taken for rewritten ones. */
  private static final String REWRITES = "skip-layer-norm-fusion-1";

  private final Path root;
  private final String runtimeVersion;

  private OptimizedGraphs(Path root, String runtimeVersion) {
    this.root = root;
    this.runtimeVersion = runtimeVersion;
  }

  /**
   * The optimised graphs under a cache directory, for the version of ONNX Runtime's native library that {@code
   * environment} runs (asked of the library itself: a shaded jar loses the version its manifest had).
   */
  static OptimizedGraphs in(Path cacheDirectory, OrtEnvironment environment) {
    return new OptimizedGraphs(cacheDirectory.resolve(DIRECTORY), environment.getVersion());
  }

  /** The level graphs are saved at: the requested one, but never above {@code extended}. */
  static OptimizationLevel savedLevel(OptimizationLevel requested) {
    return requested == OptimizationLevel.ALL ? OptimizationLevel.EXTENDED : requested;
  }

  /** Where the optimised graph of {@code model} at {@code level} is kept; it may not exist yet. */
  Path location(Path model, OptimizationLevel level) throws IOException {
    Path file = model.toAbsolutePath().normalize();
    String identity = String.join("\n", file.toString(), Long.toString(Files.size(file)),
        Long.toString(Files.getLastModifiedTime(file).toMillis()), runtimeVersion, savedLevel(level).name(), REWRITES);
    return root.resolve(sha256(identity).substring(0, 32)).resolve(FILE);
  }

  /** A fresh file beside {@code location} for ONNX Runtime to write the graph into, its directory created. */
  static Path staging(Path location) throws IOException {
    Files.createDirectories(location.getParent());
    return location.resolveSibling("." + FILE + ".tmp-" + UUID.randomUUID());
  }

  /**
   * Moves a written graph into place. Another process that got there first wins; the staged file is deleted then.
   *
   * @throws IOException if it can be neither moved nor deleted
   */
  static void publish(Path staging, Path location) throws IOException {
    try {
      Files.move(staging, location, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(staging);
    }
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
