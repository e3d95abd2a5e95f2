package dev.jtransformers.models;

import dev.jtransformers.api.ModelLoadException;
import dev.jtransformers.spi.ModelFormat;
import dev.jtransformers.spi.ProviderRegistry;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns what a user names a model by into a local model directory, trying in order: an existing directory, used as
 * it is; the id of an {@link EmbeddedModel} on the classpath, unpacked into the {@link Cache} once and then reused;
 * then each {@link ModelSource} on the classpath (the Hugging Face Hub, when {@code jtransformers-hub} is there).
 * Embedded models and sources are discovered once, when the resolver is constructed. Immutable and thread-safe.
 */
public final class ModelResolver {
  /** Where the default embedded models come from, for the error raised when none is on the classpath. */
  private static final String DEFAULT_MODELS_ARTIFACT = "dev.jtransformers:jtransformers-models-embedded";

  /** Where the Hugging Face Hub source comes from, for the error raised when no source is on the classpath. */
  private static final String HUB_ARTIFACT = "dev.jtransformers:jtransformers-hub";

  private final Cache cache;
  private final ProviderRegistry<EmbeddedModel> embedded;
  private final ProviderRegistry<ModelSource> sources;

  /**
   * A resolver over the embedded models and model sources on the classpath, unpacking into the cache at its default
   * location.
   */
  public ModelResolver() {
    this(Cache.atDefaultLocation());
  }

  /** A resolver over the embedded models and model sources on the classpath, unpacking them into {@code cache}. */
  public ModelResolver(Cache cache) {
    this(cache, ProviderRegistry.discover(ModelSource.class, "model source", ModelSource::name));
  }

  /**
   * A resolver over the embedded models on the classpath and exactly these sources (say, a hub client configured in
   * code rather than by the environment).
   *
   * @throws IllegalArgumentException if two sources share a name
   */
  public ModelResolver(Cache cache, List<? extends ModelSource> sources) {
    this(cache, ProviderRegistry.of("model source", ModelSource::name, sources));
  }

  private ModelResolver(Cache cache, ProviderRegistry<ModelSource> sources) {
    this(cache, ProviderRegistry.discover(EmbeddedModel.class, "embedded model", EmbeddedModel::id), sources);
  }

  ModelResolver(Cache cache, ProviderRegistry<EmbeddedModel> embedded, ProviderRegistry<ModelSource> sources) {
    this.cache = Objects.requireNonNull(cache, "cache");
    this.embedded = Objects.requireNonNull(embedded, "embedded");
    this.sources = Objects.requireNonNull(sources, "sources");
  }

  /** The cache embedded models are unpacked into, which engines may keep their unpacked files in too. */
  public Cache cache() {
    return cache;
  }

  /**
   * The local directory of a model, for callers that need no weights (a tokenizer, a head trained by this project):
   * {@code resolve(modelIdOrDirectory, List.of()).directory()}.
   *
   * @throws ModelLoadException as {@link #resolve(String, List)} does
   */
  public Path resolve(String modelIdOrDirectory) {
    return resolve(modelIdOrDirectory, List.of()).directory();
  }

  /**
   * The local directory of a model and the commit it was taken at, if it comes from a versioned source.
   *
   * @param modelIdOrDirectory a model directory, the id of an embedded model (e.g. {@code
   *     sentence-transformers/all-MiniLM-L6-v2}), or a name a {@link ModelSource} knows (e.g. {@code
   *     org/name@revision} on the Hugging Face Hub)
   * @param weightFormats the formats the caller can read the network from, best first, so that a source fetches
   *     only those weights; empty when it needs none. Directories and embedded models are returned as they are.
   * @throws ModelLoadException if it is neither an existing directory, an embedded id nor a model a source can
   *     provide (listing the embedded ids, the embedded models that failed to load and what each source said), or
   *     the embedded model can't be unpacked
   */
  public ResolvedModel resolve(String modelIdOrDirectory, List<ModelFormat> weightFormats) {
    Objects.requireNonNull(modelIdOrDirectory, "modelIdOrDirectory");
    Objects.requireNonNull(weightFormats, "weightFormats");
    if (modelIdOrDirectory.isBlank()) {
      throw new IllegalArgumentException("model id or directory is blank");
    }
    Optional<Path> path = asPath(modelIdOrDirectory);
    if (path.isPresent() && Files.isDirectory(path.get())) {
      return ResolvedModel.local(path.get().toAbsolutePath().normalize());
    }
    Optional<EmbeddedModel> model = embedded.find(modelIdOrDirectory);
    if (model.isPresent()) {
      return ResolvedModel.local(unpack(model.get()));
    }
    if (path.isPresent() && Files.exists(path.get())) {
      throw new ModelLoadException(modelIdOrDirectory + " is a file; expected a model directory");
    }
    String notLocal =
        "no model directory '"
            + modelIdOrDirectory
            + "' and "
            + embedded.unknown(modelIdOrDirectory)
            + (embedded.names().isEmpty() ? "; the default models come with " + DEFAULT_MODELS_ARTIFACT : "");
    for (ModelSource source : sources.all()) {
      try {
        Optional<ResolvedModel> found = source.resolve(modelIdOrDirectory, List.copyOf(weightFormats));
        if (found.isPresent()) {
          return found.get();
        }
      } catch (ModelLoadException e) {
        throw new ModelLoadException(notLocal + "; " + source.name() + ": " + e.getMessage(), e);
      }
    }
    throw new ModelLoadException(
        notLocal
            + (sources.all().isEmpty()
                ? " (add " + HUB_ARTIFACT + " to download models from the Hugging Face Hub)"
                : " (nor a name " + sources.names() + " can resolve)")
            + (sources.failures().isEmpty() ? "" : "; model sources that failed to load: " + sources.failures()));
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
