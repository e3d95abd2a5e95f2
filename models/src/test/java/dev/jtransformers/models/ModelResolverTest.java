package dev.jtransformers.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtransformers.api.ModelLoadException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelResolverTest {
  private static final String MINILM = "sentence-transformers/all-MiniLM-L6-v2";

  @TempDir Path cacheRoot;

  @Test
  void anExistingDirectoryIsItself(@TempDir Path model) {
    assertEquals(model.toAbsolutePath(), new ModelResolver(new Cache(cacheRoot)).resolve(model.toString()));
  }

  @Test
  void unknownNameListsTheEmbeddedModels() {
    ModelLoadException e =
        assertThrows(
            ModelLoadException.class, () -> new ModelResolver(new Cache(cacheRoot)).resolve("someone/unknown-model"));

    assertTrue(e.getMessage().contains("'someone/unknown-model'"), e.getMessage());
    assertTrue(e.getMessage().contains(MINILM), e.getMessage());
  }

  @Test
  void aFileIsNoModelDirectory(@TempDir Path directory) throws IOException {
    Path file = Files.writeString(directory.resolve("model.onnx"), "x");

    ModelLoadException e =
        assertThrows(ModelLoadException.class, () -> new ModelResolver(new Cache(cacheRoot)).resolve(file.toString()));

    assertTrue(e.getMessage().contains("is a file"), e.getMessage());
  }

  @Test
  void unpacksTheEmbeddedMiniLmOnceAsAModelDirectory() throws IOException {
    ModelResolver resolver = new ModelResolver(new Cache(cacheRoot));

    Path directory = resolver.resolve(MINILM);

    assertEquals(cacheRoot.resolve("models/sentence-transformers--all-MiniLM-L6-v2"), directory);
    assertEquals(90_984_153L, Files.size(directory.resolve("onnx/model.onnx")));
    assertEquals(711_661L, Files.size(directory.resolve("tokenizer.json")));
    ModelConfig config = ModelConfig.load(directory);
    assertEquals(List.of("BertModel"), config.architectures());
    assertEquals(384, config.hiddenSize());
    assertEquals(6, config.numHiddenLayers());
    assertEquals(12, config.numAttentionHeads());
    assertEquals(1536, config.intermediateSize());
    assertEquals(2, config.typeVocabSize());
    SentenceTransformersConfig sentence = SentenceTransformersConfig.load(directory).orElseThrow();
    assertEquals(Set.of(Pooling.MEAN), sentence.pooling().orElseThrow().modes());
    assertTrue(sentence.normalize());
    assertEquals(OptionalInt.of(256), sentence.maxSeqLength());
    assertTrue(Files.isRegularFile(directory.resolve("tokenizer_config.json")));

    FileTime unpacked = Files.getLastModifiedTime(directory.resolve("onnx/model.onnx"));
    FileTime marker = FileTime.fromMillis(unpacked.toMillis() - 60_000);
    Files.setLastModifiedTime(directory.resolve("onnx/model.onnx"), marker);
    assertEquals(directory, resolver.resolve(MINILM));
    assertEquals(marker, Files.getLastModifiedTime(directory.resolve("onnx/model.onnx")), "not copied again");
  }

  @Test
  void everyEmbeddedModelHasAllItsResources() {
    for (EmbeddedModel model : EmbeddedModel.all()) {
      for (ResourceFile file : model.files()) {
        assertTrue(
            ModelResolver.class.getClassLoader().getResource(file.resource()) != null,
            model.id() + " misses " + file.resource());
      }
    }
  }
}
