package dev.jtransformers.pipelines;

import dev.jtransformers.api.TextInput;
import dev.jtransformers.models.Cache;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Encoder vectors kept on disk between runs, keyed by a SHA-256 of the encoder's configuration, the model's files
 * (path, size and modification time of each) and every input text, so training a head twice on the same data
 * embeds it once. Files are written to a temporary name and moved into place, so a reader never sees half a file;
 * each ends with a CRC-32 of its content, checked when it is read, so a damaged file (truncated, overwritten, of an
 * older layout) is computed again, with one log line, instead of failing every later run.
 */
public final class FeatureCache {
  private static final Logger LOG = LoggerFactory.getLogger(FeatureCache.class);

  /** Row and column counts before the vectors, a CRC-32 of both after them. */
  private static final int HEADER_BYTES = 2 * Integer.BYTES;

  private static final int CHECKSUM_BYTES = Long.BYTES;

  private final Path directory;

  /** A cache in {@code directory}. */
  public FeatureCache(Path directory) {
    this.directory = Objects.requireNonNull(directory, "directory");
  }

  /** The cache under the JTransformers cache root ({@code features/}). */
  public static FeatureCache atDefaultLocation() {
    return new FeatureCache(Cache.atDefaultLocation().root().resolve("features"));
  }

  /** The vectors for these inputs under this encoder: read from disk, or computed and stored. */
  float[][] computeIfAbsent(PipelineConfig<?> encoder, List<TextInput> inputs, Supplier<float[][]> compute) {
    Path file = directory.resolve(key(encoder, inputs) + ".f32");
    if (Files.isRegularFile(file)) {
      Optional<float[][]> cached = read(file, inputs.size());
      if (cached.isPresent()) {
        LOG.info("Reading cached features from {}", file);
        return cached.get();
      }
    }
    float[][] vectors = compute.get();
    write(file, vectors);
    return vectors;
  }

  private static String key(PipelineConfig<?> encoder, List<TextInput> inputs) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      update(sha, encoder.toString());
      String model = encoder.model().orElse("");
      Path local = Path.of(model);
      if (Files.isDirectory(local)) {
        try (Stream<Path> files = Files.walk(local)) {
          for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
            update(sha, f.toAbsolutePath() + ":" + Files.size(f) + ":" + Files.getLastModifiedTime(f).toMillis());
          }
        }
      }
      for (TextInput input : inputs) {
        update(sha, input.text());
        update(sha, input.isPair() ? input.textPair() : "\u0000");
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the model files to key the feature cache", e);
    }
  }

  /** Adds a string with its length, so that consecutive strings can't run into each other. */
  private static void update(MessageDigest sha, String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    sha.update(ByteBuffer.allocate(Integer.BYTES).putInt(bytes.length).array());
    sha.update(bytes);
  }

  /**
   * The vectors of a cache file, if it is intact: sizes checked against the file's length before anything is
   * allocated, content against its checksum.
   */
  private static Optional<float[][]> read(Path file, int expectedRows) {
    try (CheckedInputStream checked = new CheckedInputStream(
            new BufferedInputStream(Files.newInputStream(file)), new CRC32());
        DataInputStream in = new DataInputStream(checked)) {
      int rows = in.readInt();
      int columns = in.readInt();
      long expectedSize = HEADER_BYTES + (long) rows * columns * Float.BYTES + CHECKSUM_BYTES;
      if (rows != expectedRows || columns < 0 || Files.size(file) != expectedSize) {
        return damaged(file, "its sizes don't match its length or the " + expectedRows + " inputs");
      }
      float[][] vectors = new float[rows][columns];
      for (float[] v : vectors) {
        for (int i = 0; i < v.length; i++) {
          v[i] = in.readFloat();
        }
      }
      long computed = checked.getChecksum().getValue();
      if (in.readLong() != computed) {
        return damaged(file, "its checksum does not match its content");
      }
      return Optional.of(vectors);
    } catch (IOException e) {
      return damaged(file, e.toString());
    }
  }

  private static Optional<float[][]> damaged(Path file, String problem) {
    LOG.warn("Cached features {} are damaged ({}); computing them again", file, problem);
    return Optional.empty();
  }

  private void write(Path file, float[][] vectors) {
    try {
      Files.createDirectories(directory);
      Path temp = Files.createTempFile(directory, "features", ".tmp");
      CheckedOutputStream checked =
          new CheckedOutputStream(new BufferedOutputStream(Files.newOutputStream(temp)), new CRC32());
      try (DataOutputStream out = new DataOutputStream(checked)) {
        out.writeInt(vectors.length);
        out.writeInt(vectors.length == 0 ? 0 : vectors[0].length);
        for (float[] v : vectors) {
          for (float x : v) {
            out.writeFloat(x);
          }
        }
        out.writeLong(checked.getChecksum().getValue());
      }
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      // A cache that can't be written costs time, not correctness.
      LOG.warn("Could not cache features in {}: {}", directory, e.toString());
    }
  }
}
