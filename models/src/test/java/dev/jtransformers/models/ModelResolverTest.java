package dev.jtransformers.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtransformers.api.ModelLoadException;
import dev.jtransformers.spi.ModelFormat;
import dev.jtransformers.spi.ProviderRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resolution without the real embedded models: this module's test resources register {@link Tiny}, {@link
 * Incomplete} and {@link Broken} in {@code META-INF/services}, so discovery runs as it does in production.
 */
class ModelResolverTest {
  /** A complete embedded model made of two small test resources. */
  public static final class Tiny implements EmbeddedModel {
    @Override
    public String id() {
      return "test/tiny";
    }

    @Override
    public String origin() {
      return "the models tests";
    }

    @Override
    public List<ResourceFile> files() {
      return List.of(
          new ResourceFile("dev/jtransformers/models/cachetest/a.txt", "a.txt"),
          new ResourceFile("dev/jtransformers/models/cachetest/sub/b.txt", "sub/b.txt"));
    }
  }

  /** An embedded model whose jar lacks one of its resources. */
  public static final class Incomplete implements EmbeddedModel {
    @Override
    public String id() {
      return "test/incomplete";
    }

    @Override
    public String origin() {
      return "org.example:incomplete-weights";
    }

    @Override
    public List<ResourceFile> files() {
      return List.of(new ResourceFile("dev/jtransformers/models/cachetest/absent.bin", "model.bin"));
    }
  }

  /** A provider that can't be constructed, as a jar missing a dependency would be. */
  public static final class Broken implements EmbeddedModel {
    public Broken() {
      throw new IllegalStateException("weights jar missing");
    }

    @Override
    public String id() {
      return "test/broken";
    }

    @Override
    public String origin() {
      return "nowhere";
    }

    @Override
    public List<ResourceFile> files() {
      return List.of();
    }
  }

  @TempDir Path cacheRoot;

  @Test
  void anExistingDirectoryIsItself(@TempDir Path model) {
    assertEquals(model.toAbsolutePath(), new ModelResolver(new Cache(cacheRoot)).resolve(model.toString()));
  }

  @Test
  void aFileIsNoModelDirectory(@TempDir Path directory) throws IOException {
    Path file = Files.writeString(directory.resolve("model.onnx"), "x");

    ModelLoadException e =
        assertThrows(ModelLoadException.class, () -> new ModelResolver(new Cache(cacheRoot)).resolve(file.toString()));

    assertTrue(e.getMessage().contains("is a file"), e.getMessage());
  }

  @Test
  void unpacksADiscoveredEmbeddedModelOnceIntoTheCache() throws IOException {
    ModelResolver resolver = new ModelResolver(new Cache(cacheRoot));

    Path directory = resolver.resolve("test/tiny");

    assertEquals(cacheRoot.resolve("models/test--tiny"), directory);
    assertEquals("alpha\n", Files.readString(directory.resolve("a.txt")));
    assertEquals("beta beta\n", Files.readString(directory.resolve("sub/b.txt")));

    FileTime marker = FileTime.fromMillis(Files.getLastModifiedTime(directory.resolve("a.txt")).toMillis() - 60_000);
    Files.setLastModifiedTime(directory.resolve("a.txt"), marker);
    assertEquals(directory, resolver.resolve("test/tiny"));
    assertEquals(marker, Files.getLastModifiedTime(directory.resolve("a.txt")), "not copied again");
  }

  @Test
  void unknownNameListsTheEmbeddedModelsAndTheBrokenOnes() {
    ModelLoadException e =
        assertThrows(
            ModelLoadException.class, () -> new ModelResolver(new Cache(cacheRoot)).resolve("someone/unknown-model"));

    assertTrue(e.getMessage().contains("'someone/unknown-model'"), e.getMessage());
    assertTrue(e.getMessage().contains("[test/incomplete, test/tiny]"), e.getMessage());
    assertTrue(e.getMessage().contains(Broken.class.getName()), e.getMessage());
    assertTrue(e.getMessage().contains("weights jar missing"), e.getMessage());
  }

  @Test
  void anIncompleteEmbeddedModelNamesTheResourceAndWhereItComesFrom() {
    ModelLoadException e =
        assertThrows(ModelLoadException.class, () -> new ModelResolver(new Cache(cacheRoot)).resolve("test/incomplete"));

    assertTrue(e.getMessage().contains("dev/jtransformers/models/cachetest/absent.bin"), e.getMessage());
    assertTrue(e.getMessage().contains("org.example:incomplete-weights"), e.getMessage());
  }

  @Test
  void withoutEmbeddedModelsTheErrorNamesTheArtifactOfTheDefaultOnes() {
    ModelResolver resolver =
        new ModelResolver(
            new Cache(cacheRoot),
            ProviderRegistry.of("embedded model", EmbeddedModel::id, List.of()),
            ProviderRegistry.of("model source", ModelSource::name, List.of()));

    ModelLoadException e =
        assertThrows(ModelLoadException.class, () -> resolver.resolve("sentence-transformers/all-MiniLM-L6-v2"));

    assertTrue(e.getMessage().contains("dev.jtransformers:jtransformers-models-embedded"), e.getMessage());
    assertTrue(e.getMessage().contains("dev.jtransformers:jtransformers-hub"), e.getMessage());
  }

  /** A source that knows one name, and refuses names of its form it can't provide. */
  private static final class Remote implements ModelSource {
    private final Path directory;

    Remote(Path directory) {
      this.directory = directory;
    }

    @Override
    public String name() {
      return "remote";
    }

    @Override
    public Optional<ResolvedModel> resolve(String modelId, List<ModelFormat> weightFormats) {
      if (!modelId.startsWith("remote:")) {
        return Optional.empty();
      }
      if (!modelId.equals("remote:known") || !weightFormats.equals(List.of(ModelFormat.ONNX))) {
        throw new ModelLoadException("cannot provide " + modelId + " in " + weightFormats);
      }
      return Optional.of(new ResolvedModel(directory, Optional.of("c0ffee")));
    }
  }

  @Test
  void sourcesComeAfterDirectoriesAndEmbeddedIds(@TempDir Path remote) {
    ModelResolver resolver = new ModelResolver(new Cache(cacheRoot), List.of(new Remote(remote)));

    assertEquals(new ResolvedModel(remote, Optional.of("c0ffee")),
        resolver.resolve("remote:known", List.of(ModelFormat.ONNX)));
    assertEquals(cacheRoot.resolve("models/test--tiny"), resolver.resolve("test/tiny", List.of()).directory());

    ModelLoadException refused = assertThrows(ModelLoadException.class,
        () -> resolver.resolve("remote:known", List.of(ModelFormat.TORCHSCRIPT)));
    assertTrue(refused.getMessage().contains("no model directory 'remote:known'"), refused.getMessage());
    assertTrue(refused.getMessage().contains("remote: cannot provide remote:known in [TORCHSCRIPT]"),
        refused.getMessage());

    ModelLoadException unknown = assertThrows(ModelLoadException.class, () -> resolver.resolve("other/name"));
    assertTrue(unknown.getMessage().contains("nor a name [remote] can resolve"), unknown.getMessage());
  }
}
