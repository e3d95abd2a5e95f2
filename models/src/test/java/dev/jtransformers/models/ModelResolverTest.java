package dev.jtransformers.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtransformers.api.ModelLoadException;
import dev.jtransformers.spi.ProviderRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
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
        new ModelResolver(new Cache(cacheRoot), ProviderRegistry.of("embedded model", EmbeddedModel::id, List.of()));

    ModelLoadException e =
        assertThrows(ModelLoadException.class, () -> resolver.resolve("sentence-transformers/all-MiniLM-L6-v2"));

    assertTrue(e.getMessage().contains("dev.jtransformers:jtransformers-models-embedded"), e.getMessage());
  }
}
