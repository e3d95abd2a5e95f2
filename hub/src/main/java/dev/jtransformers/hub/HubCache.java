package dev.jtransformers.hub;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * huggingface_hub's cache directory, file for file, so Python and this project share one:
 *
 * <pre>
 * {root}/models--{org}--{name}/
 *     refs/{revision}                 the commit a branch or tag pointed at when last seen
 *     blobs/{etag}                    file contents, named by ETag (a git SHA-1, or the SHA-256 of an LFS file)
 *     snapshots/{commit}/{path}       relative symbolic links into blobs (copies where links are impossible)
 *     .no_exist/{commit}/{path}       empty files: the path is known to be absent at that commit
 * {root}/.locks/models--{org}--{name}/{etag}.lock
 * </pre>
 *
 * Every write is atomic (a temporary file, then a rename), so a reader never sees half a file. Immutable and
 * thread-safe.
 */
public final class HubCache {
  private static final Logger LOG = LoggerFactory.getLogger(HubCache.class);

  private final Path root;

  /** The cache in {@code root}, created when first written. */
  public HubCache(Path root) {
    this.root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
  }

  /** The cache directory. */
  public Path root() {
    return root;
  }

  /** Where a model repository's files live: {@code models--org--name}, as huggingface_hub's repo_folder_name. */
  public Path repository(String repo) {
    return root.resolve(folderName(repo));
  }

  /**
   * The commit {@code revision} stands for, as far as the cache knows: the revision itself if it is a commit hash,
   * else the content of {@code refs/{revision}}.
   */
  public Optional<String> commit(String repo, String revision) {
    if (HubModelId.isCommitHash(revision)) {
      return Optional.of(revision);
    }
    try {
      return Optional.of(Files.readString(inside(repository(repo).resolve("refs"), revision))).map(String::strip);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new HubException("cannot read " + repository(repo).resolve("refs").resolve(revision) + ": " + e, e);
    }
  }

  /** The snapshot directory of a commit, which holds the files fetched at that commit. */
  public Path snapshot(String repo, String commit) {
    return inside(repository(repo).resolve("snapshots"), commit);
  }

  /** The file at {@code path} in the snapshot of {@code commit}, if the cache holds it. */
  public Optional<Path> file(String repo, String commit, String path) {
    Path file = inside(snapshot(repo, commit), path);
    return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
  }

  /** Whether the cache records {@code path} as absent at {@code commit} ({@code .no_exist}). */
  public boolean knownMissing(String repo, String commit, String path) {
    return Files.isRegularFile(inside(repository(repo).resolve(".no_exist").resolve(commit), path));
  }

  /** The paths of the files in a commit's snapshot, with {@code /} separators; empty if there is none. */
  public List<String> files(String repo, String commit) {
    Path snapshot = snapshot(repo, commit);
    if (!Files.isDirectory(snapshot)) {
      return List.of();
    }
    try (Stream<Path> paths = Files.walk(snapshot)) {
      return paths.filter(Files::isRegularFile)
          .map(file -> snapshot.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new HubException("cannot list the cached snapshot " + snapshot + ": " + e, e);
    }
  }

  /** Records that {@code revision} (a branch or tag) points at {@code commit}; nothing to do for a commit hash. */
  void writeRef(String repo, String revision, String commit) throws IOException {
    if (revision.equals(commit) || commit(repo, revision).filter(commit::equals).isPresent()) {
      return; // rewriting an unchanged ref would fail needlessly on a read-only cache
    }
    Path ref = inside(repository(repo).resolve("refs"), revision);
    Files.createDirectories(ref.getParent());
    Path temporary = ref.resolveSibling(ref.getFileName() + "." + shortId() + ".tmp");
    Files.writeString(temporary, commit, StandardCharsets.UTF_8);
    Files.move(temporary, ref, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** Records that {@code path} does not exist at {@code commit}; failing to record it only costs a later request. */
  void markMissing(String repo, String commit, String path) {
    Path marker = inside(repository(repo).resolve(".no_exist").resolve(commit), path);
    try {
      Files.createDirectories(marker.getParent());
      Files.createFile(marker);
    } catch (FileAlreadyExistsException e) {
      // recorded already
    } catch (IOException e) {
      LOG.warn("could not record that {} is absent at {}: {}", path, commit, e.toString());
    }
  }

  /** Where the content of ETag {@code etag} is kept. */
  Path blob(String repo, String etag) {
    return inside(repository(repo).resolve("blobs"), etag);
  }

  /** A fresh temporary file name beside a blob, unique to this download (as huggingface_hub names them). */
  Path incompleteBlob(String repo, String etag) {
    return blob(repo, etag).resolveSibling(etag + "." + shortId() + ".incomplete");
  }

  /** The lock file that keeps two processes from downloading the same blob at once. */
  Path lockFile(String repo, String etag) {
    return inside(root.resolve(".locks").resolve(folderName(repo)), etag + ".lock");
  }

  /**
   * Makes {@code path} in the snapshot of {@code commit} point at the blob of {@code etag}: a relative symbolic link,
   * or, where the file system has none, the blob itself moved there (when it was just downloaded, so nothing else
   * refers to it) or a copy of it.
   */
  void link(String repo, String commit, String path, String etag, boolean newBlob) throws IOException {
    Path pointer = inside(snapshot(repo, commit), path);
    Path blob = blob(repo, etag);
    Files.createDirectories(pointer.getParent());
    Files.deleteIfExists(pointer);
    try {
      Files.createSymbolicLink(pointer, pointer.getParent().relativize(blob));
    } catch (FileAlreadyExistsException e) {
      if (!Files.isSameFile(pointer, blob)) {
        throw e; // something else appeared at that path between the delete and the link
      }
    } catch (UnsupportedOperationException | IOException e) {
      LOG.debug("no symbolic link possible at {} ({}); {} the blob", pointer, e, newBlob ? "moving" : "copying");
      if (newBlob) {
        Files.move(blob, pointer, StandardCopyOption.ATOMIC_MOVE);
      } else {
        Path temporary = pointer.resolveSibling(pointer.getFileName() + "." + shortId() + ".tmp");
        Files.copy(blob, temporary);
        Files.move(temporary, pointer, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  static String folderName(String repo) {
    return "models--" + repo.replace("/", "--");
  }

  /** {@code relative} inside {@code directory}, refusing paths that would leave it (a hostile file name). */
  private static Path inside(Path directory, String relative) {
    Path resolved = directory.resolve(relative).normalize();
    if (!resolved.startsWith(directory) || resolved.equals(directory)) {
      throw new HubException("refusing path '" + relative + "': it leaves " + directory);
    }
    return resolved;
  }

  private static String shortId() {
    return UUID.randomUUID().toString().replace("-", "").substring(0, 8);
  }

  @Override
  public String toString() {
    return "HubCache[" + root + "]";
  }
}
