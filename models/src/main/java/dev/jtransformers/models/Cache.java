package dev.jtransformers.models;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The directory where JTransformers keeps files it unpacks or downloads: embedded models, native libraries.
 *
 * <p>Its location is {@value #LOCATION_PROPERTY} (system property), else {@value #LOCATION_VARIABLE} (environment
 * variable), else {@code ~/.cache/jtransformers}; {@link #atDefaultLocation()} is the only place that reads them.
 *
 * <p>Entries appear atomically: {@link #materialize} fills a private directory next to the target and renames it into
 * place, so several threads or processes can fill the same entry at once and none of them ever sees it half
 * written. Immutable and thread-safe.
 */
public final class Cache {
  /** System property naming the cache directory. */
  public static final String LOCATION_PROPERTY = "jtransformers.cache";

  /** Environment variable naming the cache directory, used when the system property is not set. */
  public static final String LOCATION_VARIABLE = "JTRANSFORMERS_CACHE";

  private static final Logger LOG = LoggerFactory.getLogger(Cache.class);

  private final Path root;

  /** A cache in {@code root}, which is created when first needed. */
  public Cache(Path root) {
    this.root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
  }

  /** The cache at the configured location (see the class description). */
  public static Cache atDefaultLocation() {
    return new Cache(defaultRoot(System::getProperty, System::getenv));
  }

  static Path defaultRoot(UnaryOperator<String> systemProperties, UnaryOperator<String> environment) {
    String configured = systemProperties.apply(LOCATION_PROPERTY);
    if (configured == null || configured.isBlank()) {
      configured = environment.apply(LOCATION_VARIABLE);
    }
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    return Path.of(systemProperties.apply("user.home"), ".cache", "jtransformers");
  }

  /** The cache directory. */
  public Path root() {
    return root;
  }

  /**
   * Makes {@code directory} (relative to the root) hold a copy of each resource at its path, and returns it.
   *
   * <p>Copies nothing when the directory already holds every file at the size of its resource, so repeated calls
   * cost a few file-size checks. A directory with a missing or wrongly sized file (left by another version) is
   * replaced as a whole.
   *
   * @param directory a relative path inside the cache, e.g. {@code models/sentence-transformers--all-MiniLM-L6-v2}
   * @param files the resources to copy
   * @param resources the class loader to read them with
   * @throws FileNotFoundException naming the resource, if one is not on the classpath
   * @throws IOException if the files can't be written
   */
  public Path materialize(String directory, List<ResourceFile> files, ClassLoader resources) throws IOException {
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(resources, "resources");
    Path target = root.resolve(directory).normalize();
    if (!target.startsWith(root) || target.equals(root)) {
      throw new IllegalArgumentException("directory must be a path inside the cache, got " + directory);
    }
    Map<ResourceFile, URL> urls = new LinkedHashMap<>();
    Map<ResourceFile, Long> sizes = new LinkedHashMap<>();
    for (ResourceFile file : files) {
      URL url = resources.getResource(file.resource());
      if (url == null) {
        throw new FileNotFoundException("classpath resource " + file.resource() + " not found");
      }
      urls.put(file, url);
      sizes.put(file, size(url));
    }
    if (holds(target, sizes)) {
      return target;
    }
    Path parent = target.getParent();
    Files.createDirectories(parent);
    // Not Files.createTempDirectory: its owner-only permissions would stick to the cache entry.
    Path staging = target.resolveSibling("." + target.getFileName() + ".tmp-" + UUID.randomUUID());
    Files.createDirectory(staging);
    try {
      for (Map.Entry<ResourceFile, URL> entry : urls.entrySet()) {
        copy(entry.getValue(), staging.resolve(entry.getKey().path()), sizes.get(entry.getKey()));
      }
      return moveIntoPlace(staging, target, sizes);
    } finally {
      deleteRecursively(staging);
    }
  }

  private Path moveIntoPlace(Path staging, Path target, Map<ResourceFile, Long> sizes) throws IOException {
    try {
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
      LOG.debug("unpacked {}", target);
      return target;
    } catch (IOException firstAttempt) {
      // Something is in the way: another thread or process got there first (fine), or a stale copy.
      if (holds(target, sizes)) {
        return target;
      }
      discard(target);
      try {
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        LOG.debug("replaced stale {}", target);
        return target;
      } catch (IOException secondAttempt) {
        if (holds(target, sizes)) {
          return target;
        }
        secondAttempt.addSuppressed(firstAttempt);
        throw secondAttempt;
      }
    }
  }

  /** Whether {@code directory} holds every file at its expected size. */
  private static boolean holds(Path directory, Map<ResourceFile, Long> sizes) throws IOException {
    for (Map.Entry<ResourceFile, Long> entry : sizes.entrySet()) {
      Path file = directory.resolve(entry.getKey().path());
      try {
        if (!Files.isRegularFile(file) || Files.size(file) != entry.getValue()) {
          return false;
        }
      } catch (NoSuchFileException e) {
        return false; // removed between the two checks
      }
    }
    return Files.isDirectory(directory);
  }

  /** The resource's size, read from the jar's directory when it records it. */
  private static long size(URL url) throws IOException {
    URLConnection connection = url.openConnection();
    long size = connection.getContentLengthLong();
    if (size >= 0) {
      return size;
    }
    try (InputStream in = connection.getInputStream()) {
      return in.transferTo(OutputStream.nullOutputStream());
    }
  }

  private static void copy(URL from, Path to, long expectedSize) throws IOException {
    Files.createDirectories(to.getParent());
    long copied;
    try (InputStream in = from.openStream()) {
      copied = Files.copy(in, to);
    }
    if (copied != expectedSize) {
      throw new IOException("copied " + copied + " bytes of " + from + ", expected " + expectedSize);
    }
  }

  /** Moves a stale entry out of the way (atomically, so readers see it or nothing), then deletes it. */
  private static void discard(Path target) throws IOException {
    Path aside = target.resolveSibling("." + target.getFileName() + ".stale-" + UUID.randomUUID());
    try {
      Files.move(target, aside, StandardCopyOption.ATOMIC_MOVE);
    } catch (NoSuchFileException e) {
      return; // another process discarded it already
    }
    deleteRecursively(aside);
  }

  /** Deletes a directory tree, logging what can't be deleted: leftovers waste space but harm nothing. */
  private static void deleteRecursively(Path directory) {
    if (!Files.exists(directory)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      LOG.warn("could not delete {}: {}", directory, e.toString());
    }
  }

  @Override
  public String toString() {
    return "Cache[" + root + "]";
  }
}
