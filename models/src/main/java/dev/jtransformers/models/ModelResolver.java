package dev.jtransformers.models;

import dev.jtransformers.api.ModelLoadException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns what a user names a model by into a local model directory: a directory path is used as it is; the id of an
 * {@link EmbeddedModel} is unpacked into the {@link Cache} once and then reused. Immutable and thread-safe.
 */
public final class ModelResolver {
  private final Cache cache;

  /** A resolver unpacking into the cache at its default location. */
  public ModelResolver() {
    this(Cache.atDefaultLocation());
  }

  /** A resolver unpacking embedded models into {@code cache}. */
  public ModelResolver(Cache cache) {
    this.cache = Objects.requireNonNull(cache, "cache");
  }

  /** The cache embedded models are unpacked into, which engines may keep their unpacked files in too. */
  public Cache cache() {
    return cache;
  }

  /**
   * The local directory of a model.
   *
   * @param modelIdOrDirectory a model directory, or the id of an embedded model (e.g. {@code
   *     sentence-transformers/all-MiniLM-L6-v2})
   * @return the directory, absolute
   * @throws ModelLoadException if it is neither an existing directory nor an embedded id (listing the embedded ids),
   *     or the embedded model can't be unpacked
   */
  public Path resolve(String modelIdOrDirectory) {
    Objects.requireNonNull(modelIdOrDirectory, "modelIdOrDirectory");
    if (modelIdOrDirectory.isBlank()) {
      throw new IllegalArgumentException("model id or directory is blank");
    }
    Optional<Path> path = asPath(modelIdOrDirectory);
    if (path.isPresent() && Files.isDirectory(path.get())) {
      return path.get().toAbsolutePath().normalize();
    }
    Optional<EmbeddedModel> embedded = EmbeddedModel.find(modelIdOrDirectory);
    if (embedded.isPresent()) {
      return unpack(embedded.get());
    }
    if (path.isPresent() && Files.exists(path.get())) {
      throw new ModelLoadException(modelIdOrDirectory + " is a file; expected a model directory");
    }
    throw new ModelLoadException(
        "no model directory '"
            + modelIdOrDirectory
            + "' and no embedded model of that id; embedded models: "
            + EmbeddedModel.all().stream().map(EmbeddedModel::id).toList()
            + " (downloading from the Hugging Face Hub is not supported yet)");
  }

  private Path unpack(EmbeddedModel model) {
    try {
      return cache.materialize(model.cacheDirectory(), model.files(), ModelResolver.class.getClassLoader());
    } catch (FileNotFoundException e) {
      throw new ModelLoadException(
          "embedded model " + model.id() + " is incomplete: " + e.getMessage() + "; it comes from " + model.origin(),
          e);
    } catch (IOException e) {
      throw new ModelLoadException(
          "cannot unpack embedded model " + model.id() + " into " + cache.root() + ": " + e, e);
    }
  }

  private static Optional<Path> asPath(String text) {
    try {
      return Optional.of(Path.of(text));
    } catch (InvalidPathException e) {
      return Optional.empty(); // e.g. an id with characters this file system forbids
    }
  }
}
