package dev.jtransformers.models;

import dev.jtransformers.api.ModelLoadException;
import dev.jtransformers.spi.ProviderRegistry;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns what a user names a model by into a local model directory: a directory path is used as it is; the id of an
 * {@link EmbeddedModel} on the classpath is unpacked into the {@link Cache} once and then reused. The embedded models
 * are discovered once, when the resolver is constructed. Immutable and thread-safe.
 */
public final class ModelResolver {
  /** Where the default embedded models come from, for the error raised when none is on the classpath. */
  private static final String DEFAULT_MODELS_ARTIFACT = "dev.jtransformers:jtransformers-models-embedded";

  private final Cache cache;
  private final ProviderRegistry<EmbeddedModel> embedded;

  /** A resolver over the embedded models on the classpath, unpacking into the cache at its default location. */
  public ModelResolver() {
    this(Cache.atDefaultLocation());
  }

  /** A resolver over the embedded models on the classpath, unpacking them into {@code cache}. */
  public ModelResolver(Cache cache) {
    this(cache, ProviderRegistry.discover(EmbeddedModel.class, "embedded model", EmbeddedModel::id));
  }

  ModelResolver(Cache cache, ProviderRegistry<EmbeddedModel> embedded) {
    this.cache = Objects.requireNonNull(cache, "cache");
    this.embedded = Objects.requireNonNull(embedded, "embedded");
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
   * @throws ModelLoadException if it is neither an existing directory nor an embedded id (listing the embedded ids
   *     and the embedded models that failed to load), or the embedded model can't be unpacked
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
    Optional<EmbeddedModel> model = embedded.find(modelIdOrDirectory);
    if (model.isPresent()) {
      return unpack(model.get());
    }
    if (path.isPresent() && Files.exists(path.get())) {
      throw new ModelLoadException(modelIdOrDirectory + " is a file; expected a model directory");
    }
    throw new ModelLoadException(
        "no model directory '"
            + modelIdOrDirectory
            + "' and "
            + embedded.unknown(modelIdOrDirectory)
            + (embedded.names().isEmpty() ? "; the default models come with " + DEFAULT_MODELS_ARTIFACT : "")
            + " (downloading from the Hugging Face Hub is not supported yet)");
  }

  private Path unpack(EmbeddedModel model) {
    // Its own class loader: the one that sees the jar it was registered in.
    ClassLoader resources = model.getClass().getClassLoader();
    try {
      return cache.materialize(cacheDirectory(model), model.files(), resources);
    } catch (FileNotFoundException e) {
      throw new ModelLoadException(
          "embedded model " + model.id() + " is incomplete: " + e.getMessage() + "; it comes from " + model.origin(),
          e);
    } catch (IOException e) {
      throw new ModelLoadException(
          "cannot unpack embedded model " + model.id() + " into " + cache.root() + ": " + e, e);
    }
  }

  /** Its directory inside the cache: {@code models/} and the id with {@code /} replaced by {@code --}. */
  private static String cacheDirectory(EmbeddedModel model) {
    return "models/" + model.id().replace("/", "--");
  }

  private static Optional<Path> asPath(String text) {
    try {
      return Optional.of(Path.of(text));
    } catch (InvalidPathException e) {
      return Optional.empty(); // e.g. an id with characters this file system forbids
    }
  }
}
