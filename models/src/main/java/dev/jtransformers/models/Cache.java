package dev.jtransformers.models;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.jar.JarEntry;
import java.util.stream.Stream;
import java.util.zip.CRC32;
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
 * written; what a killed process left half-filled is removed by a later call. Every file's checksum is recorded when
 * it is unpacked and verified whenever the entry is used again, so a damaged entry is unpacked anew instead of being
 * trusted. Immutable and thread-safe.
 */
public final class Cache {
  /** System property naming the cache directory. */
  public static final String LOCATION_PROPERTY = "jtransformers.cache";

  /** Environment variable naming the cache directory, used when the system property is not set. */
  public static final String LOCATION_VARIABLE = "JTRANSFORMERS_CACHE";

  /** Inside each unpacked directory: what it was copied from, to tell a current copy from an old one. */
  private static final String STAMPS_FILE = ".jtransformers-stamps";

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

  /**
   * A cache in a new temporary directory, deleted with everything in it when the JVM exits: for when the configured
   * cache can't be written. (Libraries loaded from it may be deleted while loaded on Linux and macOS.)
   *
   * @throws IOException if no temporary directory can be created
   */
  public static Cache forThisRun(String prefix) throws IOException {
    Path directory = Files.createTempDirectory(Objects.requireNonNull(prefix, "prefix"));
    Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteRecursively(directory), "cache-cleanup"));
    return new Cache(directory);
  }

  /** The cache directory. */
  public Path root() {
    return root;
  }

  /**
   * Makes {@code directory} (relative to the root) hold a copy of each resource at its path, and returns it.
   *
   * <p>Copies nothing when the directory already holds every file, copied from resources of the same content (size
   * and CRC-32, which a jar's directory records, so checking costs no read of a large resource), each file still of
   * that size and checksum (verifying reads the files: about 40 ms for a 90 MB model). A directory with a missing,
   * wrongly sized or damaged file (logged), or one copied from other resources (another version), is replaced as a
   * whole. Staging directories of processes that died while unpacking are deleted.
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
    Map<ResourceFile, Stamp> stamps = new LinkedHashMap<>();
    for (ResourceFile file : files) {
      URL url = resources.getResource(file.resource());
      if (url == null) {
        throw new FileNotFoundException("classpath resource " + file.resource() + " not found");
      }
      urls.put(file, url);
      stamps.put(file, Stamp.of(url));
    }
    Optional<Defect> defect = defect(target, stamps);
    if (defect.isEmpty()) {
      return target;
    }
    if (defect.get().damaged()) {
      LOG.warn("cache entry {} {}; unpacking it again", target, defect.get().reason());
    }
    Path parent = target.getParent();
    Files.createDirectories(parent);
    deleteAbandonedStaging(target);
    // Not Files.createTempDirectory: its owner-only permissions would stick to the cache entry. The process id in
    // the name tells a later run whether its owner is still at work.
    Path staging = target.resolveSibling(
        stagingPrefix(target) + ProcessHandle.current().pid() + "-" + UUID.randomUUID());
    Files.createDirectory(staging);
    try {
      for (Map.Entry<ResourceFile, URL> entry : urls.entrySet()) {
        copy(entry.getValue(), staging.resolve(entry.getKey().path()), stamps.get(entry.getKey()).size());
      }
      Files.writeString(staging.resolve(STAMPS_FILE), describe(stamps), StandardCharsets.UTF_8);
      return moveIntoPlace(staging, target, stamps);
    } finally {
      deleteRecursively(staging);
    }
  }

  private Path moveIntoPlace(Path staging, Path target, Map<ResourceFile, Stamp> stamps) throws IOException {
    try {
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
      LOG.debug("unpacked {}", target);
      return target;
    } catch (IOException firstAttempt) {
      // Something is in the way: another thread or process got there first (fine), or a stale copy.
      if (defect(target, stamps).isEmpty()) {
        return target;
      }
      discard(target);
      try {
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        LOG.debug("replaced stale {}", target);
        return target;
      } catch (IOException secondAttempt) {
        if (defect(target, stamps).isEmpty()) {
          return target;
        }
        secondAttempt.addSuppressed(firstAttempt);
        throw secondAttempt;
      }
    }
  }

  /**
   * Why {@code directory} can't serve as the copy of resources with these stamps, or empty if it can: it must have
   * been copied from them ({@value #STAMPS_FILE} says so) and still hold every file at its size and checksum.
   */
  private static Optional<Defect> defect(Path directory, Map<ResourceFile, Stamp> stamps) throws IOException {
    try {
      if (!describe(stamps).equals(Files.readString(directory.resolve(STAMPS_FILE), StandardCharsets.UTF_8))) {
        return Optional.of(new Defect("was unpacked from other resources", false));
      }
      for (Map.Entry<ResourceFile, Stamp> entry : stamps.entrySet()) {
        Path file = directory.resolve(entry.getKey().path());
        if (!Files.isRegularFile(file)) {
          return Optional.of(new Defect("lacks " + entry.getKey().path(), true));
        }
        if (Files.size(file) != entry.getValue().size()) {
          return Optional.of(new Defect("holds " + entry.getKey().path() + " at " + Files.size(file) + " bytes, not "
              + entry.getValue().size(), true));
        }
        if (Stamp.of(file).crc() != entry.getValue().crc()) {
          return Optional.of(new Defect("holds a damaged " + entry.getKey().path() + " (its checksum differs from"
              + " the one recorded when it was unpacked)", true));
        }
      }
      return Optional.empty();
    } catch (NoSuchFileException e) {
      return Optional.of(new Defect("is absent", false)); // or removed between two checks
    }
  }

  /**
   * Why an entry can't be used as it is.
   *
   * @param damaged whether its files were changed after unpacking (worth a warning), rather than absent or of
   *     another version
   */
  private record Defect(String reason, boolean damaged) {}

  private static String stagingPrefix(Path target) {
    return "." + target.getFileName() + ".tmp-";
  }

  /** Deletes the staging directories of {@code target} whose process has died (killed while it was unpacking). */
  private static void deleteAbandonedStaging(Path target) throws IOException {
    String prefix = stagingPrefix(target);
    try (Stream<Path> siblings = Files.list(target.getParent())) {
      for (Path staging : siblings.filter(p -> p.getFileName().toString().startsWith(prefix)).toList()) {
        String rest = staging.getFileName().toString().substring(prefix.length());
        int dash = rest.indexOf('-');
        OptionalLong pid = parsePid(dash < 0 ? rest : rest.substring(0, dash));
        if (pid.isPresent() && ProcessHandle.of(pid.getAsLong()).map(ProcessHandle::isAlive).orElse(false)) {
          continue; // still at work
        }
        LOG.info("deleting {}, left by a process that stopped while unpacking", staging);
        deleteRecursively(staging);
      }
    }
  }

  /** The process id a staging directory's name begins with; empty for names without one (older versions). */
  private static OptionalLong parsePid(String text) {
    try {
      return OptionalLong.of(Long.parseLong(text));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  /** One line per file: its path, and the size and CRC-32 of the resource it is copied from. */
  private static String describe(Map<ResourceFile, Stamp> stamps) {
    StringBuilder text = new StringBuilder();
    stamps.forEach(
        (file, stamp) ->
            text.append(file.path()).append(' ').append(stamp.size()).append(' ').append(Long.toHexString(stamp.crc()))
                .append('\n'));
    return text.toString();
  }

  /** What identifies a resource's content: its size and CRC-32. */
  private record Stamp(long size, long crc) {
    /** Read from the jar's directory when the resource is a jar entry; else computed from the content. */
    static Stamp of(URL url) throws IOException {
      URLConnection connection = url.openConnection();
      if (connection instanceof JarURLConnection jar) {
        JarEntry entry = jar.getJarEntry();
        if (entry.getSize() >= 0 && entry.getCrc() >= 0) {
          return new Stamp(entry.getSize(), entry.getCrc());
        }
      }
      try (InputStream in = connection.getInputStream()) {
        return of(in);
      }
    }

    /** Computed from a file's content. */
    static Stamp of(Path file) throws IOException {
      try (InputStream in = Files.newInputStream(file)) {
        return of(in);
      }
    }

    private static Stamp of(InputStream in) throws IOException {
      CRC32 crc = new CRC32();
      long size = 0;
      byte[] buffer = new byte[1 << 16];
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        crc.update(buffer, 0, n);
        size += n;
      }
      return new Stamp(size, crc.getValue());
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
