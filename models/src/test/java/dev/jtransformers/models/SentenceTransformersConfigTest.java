package dev.jtransformers.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtransformers.api.ModelLoadException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SentenceTransformersConfigTest {
  @TempDir Path directory;

  private void write(String path, String json) throws IOException {
    Path file = directory.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, json);
  }

  private static String modules(String... types) {
    StringBuilder json = new StringBuilder("[");
    for (int i = 0; i < types.length; i++) {
      json.append(i == 0 ? "" : ",")
          .append("{\"idx\": %d, \"name\": \"%d\", \"path\": \"%s\", \"type\": \"sentence_transformers.models.%s\"}"
              .formatted(i, i, i == 0 ? "" : i + "_" + types[i], types[i]));
    }
    return json.append("]").toString();
  }

  @Test
  void absentWhenTheDirectoryIsNoSentenceTransformersModel() {
    assertEquals(Optional.empty(), SentenceTransformersConfig.load(directory));
  }

  @Test
  void readsPoolingNormalizationAndSequenceLength() throws IOException {
    write("modules.json", modules("Transformer", "Pooling", "Normalize"));
    write("1_Pooling/config.json", "{\"word_embedding_dimension\": 384, \"pooling_mode_mean_tokens\": true,"
        + " \"pooling_mode_cls_token\": false}");
    write("sentence_bert_config.json", "{\"max_seq_length\": 256, \"do_lower_case\": false}");

    SentenceTransformersConfig config = SentenceTransformersConfig.load(directory).orElseThrow();

    assertEquals(
        List.of("sentence_transformers.models.Transformer", "sentence_transformers.models.Pooling",
            "sentence_transformers.models.Normalize"),
        config.modules().stream().map(SentenceTransformersConfig.Module::type).toList());
    assertEquals("1_Pooling", config.modules().get(1).path());
    assertEquals(Set.of(Pooling.MEAN), config.pooling().orElseThrow().modes());
    assertEquals(384, config.pooling().orElseThrow().wordEmbeddingDimension());
    assertTrue(config.normalize());
    assertEquals(OptionalInt.of(256), config.maxSeqLength());
    assertFalse(config.doLowerCase());
  }

  @Test
  void keepsSeveralPoolingModesInConcatenationOrder() throws IOException {
    write("modules.json", modules("Transformer", "Pooling"));
    write("1_Pooling/config.json", "{\"word_embedding_dimension\": 8, \"pooling_mode_mean_tokens\": true,"
        + " \"pooling_mode_max_tokens\": true, \"pooling_mode_cls_token\": true}");

    SentenceTransformersConfig config = SentenceTransformersConfig.load(directory).orElseThrow();

    assertEquals(
        List.of(Pooling.CLS, Pooling.MAX, Pooling.MEAN),
        List.copyOf(config.pooling().orElseThrow().modes()));
    assertFalse(config.normalize());
    assertEquals(OptionalInt.empty(), config.maxSeqLength(), "no sentence_bert_config.json");
  }

  @Test
  void modelWithoutPoolingStageHasNone() throws IOException {
    write("modules.json", modules("Transformer"));

    assertEquals(Optional.empty(), SentenceTransformersConfig.load(directory).orElseThrow().pooling());
  }

  @Test
  void listedPoolingStageWithoutItsFileIsAnError() throws IOException {
    write("modules.json", modules("Transformer", "Pooling"));

    ModelLoadException e =
        assertThrows(ModelLoadException.class, () -> SentenceTransformersConfig.load(directory));

    assertTrue(e.getMessage().contains(Path.of("1_Pooling", "config.json").toString()), e.getMessage());
  }

  @Test
  void malformedFilesAreNamed() throws IOException {
    write("modules.json", "{\"not\": \"a list\"}");
    ModelLoadException e =
        assertThrows(ModelLoadException.class, () -> SentenceTransformersConfig.load(directory));
    assertTrue(e.getMessage().contains("modules.json"), e.getMessage());

    write("modules.json", modules("Transformer"));
    write("sentence_bert_config.json", "{\"max_seq_length\": \"long\"}");
    e = assertThrows(ModelLoadException.class, () -> SentenceTransformersConfig.load(directory));
    assertTrue(e.getMessage().contains("sentence_bert_config.json: 'max_seq_length' must be an integer"),
        e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"../../etc", "/etc", "1_Pooling/../../elsewhere"})
  void aModulePathOutsideTheModelDirectoryIsRefused(String path) throws IOException {
    write("modules.json", "[{\"name\": \"1\", \"path\": \"" + path + "\","
        + " \"type\": \"sentence_transformers.models.Pooling\"}]");
    ModelLoadException e =
        assertThrows(ModelLoadException.class, () -> SentenceTransformersConfig.load(directory));
    assertTrue(e.getMessage().contains("modules.json[0]: 'path' is " + path + ", which points outside the model"
        + " directory"), e.getMessage());
  }
}
