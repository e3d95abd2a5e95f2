package dev.jtransformers.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jtransformers.api.ModelLoadException;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ModelConfigTest {
  private static final String MINIMAL =
      """
      {"model_type": "bert", "hidden_size": 8, "num_hidden_layers": 1, "num_attention_heads": 2,
       "intermediate_size": 16, "vocab_size": 100, "max_position_embeddings": 32%s}
      """;

  private static ModelConfig minimal(String extraKeys) {
    return ModelConfig.parse(MINIMAL.formatted(extraKeys));
  }

  @Test
  void readsBertConfig() {
    ModelConfig config = ModelConfig.load(SharedFixtures.model("tiny-random-bert"));

    assertEquals("bert", config.modelType());
    assertEquals(List.of("BertForSequenceClassification"), config.architectures());
    assertEquals(32, config.hiddenSize());
    assertEquals(2, config.numHiddenLayers());
    assertEquals(4, config.numAttentionHeads());
    assertEquals(64, config.intermediateSize());
    assertEquals(30522, config.vocabSize());
    assertEquals(512, config.maxPositionEmbeddings());
    assertEquals(2, config.typeVocabSize());
    assertEquals(1e-12, config.layerNormEps());
    assertEquals("gelu", config.hiddenAct());
    assertEquals(List.of("NEGATIVE", "POSITIVE", "NEUTRAL"), config.labels());
    assertEquals(Map.of(0, "NEGATIVE", 1, "POSITIVE", 2, "NEUTRAL"), config.id2label());
    assertEquals(Map.of("NEGATIVE", 0, "POSITIVE", 1, "NEUTRAL", 2), config.label2id());
    assertEquals(3, config.numLabels());
    assertEquals(Optional.empty(), config.problemType());
  }

  @Test
  void readsDistilBertNamesForTheSameSettings() {
    ModelConfig config = ModelConfig.load(SharedFixtures.model("tiny-random-distilbert").resolve("config.json"));

    assertEquals("distilbert", config.modelType());
    assertEquals(32, config.hiddenSize());
    assertEquals(2, config.numHiddenLayers());
    assertEquals(4, config.numAttentionHeads());
    assertEquals(64, config.intermediateSize());
    assertEquals(0, config.typeVocabSize(), "DistilBERT takes no token_type_ids");
    assertEquals(1e-12, config.layerNormEps());
    assertEquals("gelu", config.hiddenAct());
  }

  @Test
  void readsProblemType() {
    ModelConfig config = ModelConfig.load(SharedFixtures.model("minilm-l6-sst2"));

    assertEquals(Optional.of("single_label_classification"), config.problemType());
    assertEquals(List.of("NEGATIVE", "POSITIVE"), config.labels());
  }

  @Test
  void defaultsToHuggingFaceLabelsWhenTheFileHasNone() {
    assertEquals(List.of("LABEL_0", "LABEL_1"), minimal("").labels());
    ModelConfig three = minimal(", \"num_labels\": 3");
    assertEquals(List.of("LABEL_0", "LABEL_1", "LABEL_2"), three.labels());
    assertEquals(Map.of("LABEL_0", 0, "LABEL_1", 1, "LABEL_2", 2), three.label2id());
  }

  @Test
  void missingFileIsNamed(@TempDir Path directory) {
    ModelLoadException e = assertThrows(ModelLoadException.class, () -> ModelConfig.load(directory));

    assertTrue(e.getMessage().contains(directory.resolve("config.json").toString()), e.getMessage());
  }

  @Test
  void invalidJsonNamesTheFile(@TempDir Path directory) throws IOException {
    Files.writeString(directory.resolve("config.json"), "{\"model_type\": ");

    ModelLoadException e = assertThrows(ModelLoadException.class, () -> ModelConfig.load(directory));

    assertTrue(e.getMessage().startsWith(directory.resolve("config.json") + " is not valid JSON"), e.getMessage());
  }

  @Test
  void wrongTypeNamesFileAndKey(@TempDir Path directory) throws IOException {
    String json = MINIMAL.formatted("").replace("\"hidden_size\": 8", "\"hidden_size\": \"8\"");
    Files.writeString(directory.resolve("config.json"), json);

    ModelLoadException e = assertThrows(ModelLoadException.class, () -> ModelConfig.load(directory));

    assertEquals(
        directory.resolve("config.json") + ": 'hidden_size' must be an integer, found \"8\"", e.getMessage());
  }

  @Test
  void missingKeyNamesEveryAlias() {
    String json = MINIMAL.formatted("").replace("\"hidden_size\": 8,", "");

    ModelLoadException e = assertThrows(ModelLoadException.class, () -> ModelConfig.parse(json));

    assertEquals("config.json has none of [hidden_size, dim]", e.getMessage());
  }

  @Test
  void rejectsMalformedLabelsAndValues() {
    assertThrows(ModelLoadException.class, () -> minimal(", \"id2label\": {\"a\": \"X\"}"));
    assertThrows(ModelLoadException.class, () -> minimal(", \"id2label\": {\"0\": \"X\", \"2\": \"Y\"}"));
    assertThrows(ModelLoadException.class, () -> minimal(", \"id2label\": {\"0\": 5}"));
    assertThrows(ModelLoadException.class, () -> minimal(", \"problem_type\": \"ranking\""));
    assertThrows(ModelLoadException.class, () -> minimal(", \"architectures\": \"BertModel\""));
    assertThrows(ModelLoadException.class, () -> ModelConfig.parse("[1, 2]"));
    ModelLoadException count = assertThrows(ModelLoadException.class,
        () -> minimal(", \"num_labels\": 3, \"id2label\": {\"0\": \"NEG\", \"1\": \"POS\"}"));
    assertTrue(count.getMessage().contains("num_labels") && count.getMessage().contains("names 2 labels"),
        count.getMessage());
  }

  @Test
  void nullValuesCountAsAbsent() {
    ModelConfig config = minimal(", \"problem_type\": null, \"id2label\": null");

    assertEquals(Optional.empty(), config.problemType());
    assertEquals(2, config.numLabels());
  }

  @Test
  void savedConfigKeepsUnknownKeysAndLoadsBack(@TempDir Path directory) throws IOException {
    ModelConfig original = ModelConfig.load(SharedFixtures.model("tiny-random-distilbert"));

    Path file = original.save(directory);
    ModelConfig reloaded = ModelConfig.load(directory);

    assertEquals(directory.resolve("config.json"), file);
    assertEquals(original, reloaded);
    assertEquals(original.toJson(), reloaded.toJson());
    assertEquals(Optional.of(0.2), reloaded.get("seq_classif_dropout").map(n -> n.doubleValue()));
    // Same tree as the Python-written file: nothing lost or retyped.
    ObjectMapper mapper = new ObjectMapper();
    assertEquals(
        mapper.readTree(SharedFixtures.model("tiny-random-distilbert").resolve("config.json").toFile()),
        mapper.readTree(file.toFile()));
  }

  @Test
  void writesJsonAsPythonDoes() {
    String json = minimal(", \"architectures\": [\"BertModel\"]").toJson();

    assertTrue(json.startsWith("{\n  \"model_type\": \"bert\",\n"), json);
    assertTrue(json.contains("\"architectures\": [\n    \"BertModel\"\n  ]"), json);
    assertTrue(json.endsWith("}\n"), json);
  }

  @Test
  void derivesModifiedCopies() {
    ModelConfig base = minimal(", \"custom\": {\"kept\": true}");

    ModelConfig classifier =
        base.withLabels(List.of("NEGATIVE", "POSITIVE"))
            .withArchitectures(List.of("BertForSequenceClassification"))
            .withProblemType("single_label_classification");

    assertEquals(List.of("NEGATIVE", "POSITIVE"), classifier.labels());
    assertEquals(Map.of("NEGATIVE", 0, "POSITIVE", 1), classifier.label2id());
    assertEquals(List.of("BertForSequenceClassification"), classifier.architectures());
    assertEquals(Optional.of("single_label_classification"), classifier.problemType());
    assertTrue(classifier.get("custom").orElseThrow().get("kept").booleanValue());
    assertEquals(List.of(), base.architectures(), "the original is unchanged");
    assertFalse(base.problemType().isPresent());
    assertEquals(classifier, ModelConfig.parse(classifier.toJson()));
    assertThrows(IllegalArgumentException.class, () -> base.withLabels(List.of("A", "A")));
    assertThrows(IllegalArgumentException.class, () -> base.withProblemType("ranking"));
  }

  @Test
  void rawValuesAreCopies() {
    ModelConfig config = minimal(", \"custom\": {\"kept\": true}");

    ((ObjectNode) config.get("custom").orElseThrow()).put("kept", false);

    assertTrue(config.get("custom").orElseThrow().get("kept").booleanValue());
  }

  @ParameterizedTest
  @ValueSource(strings = {"tiny-random-bert", "tiny-random-distilbert", "minilm-l6-sst2", "tiny-random-bert-qa"})
  void plainValuesRoundTripEveryFixtureConfiguration(String model) throws IOException {
    Path file = SharedFixtures.model(model).resolve("config.json");
    ModelConfig config = ModelConfig.load(file);

    Map<String, Object> values = config.toMap();
    ModelConfig back = ModelConfig.fromMap(values);

    assertEquals(config, back);
    assertEquals(config.toJson(), back.toJson());
    // The map holds every key of the file, as Jackson reads them into plain values.
    assertEquals(new ObjectMapper().readValue(file.toFile(), Map.class), values);
  }

  @Test
  void plainValuesKeepNullsNumbersAndNesting() {
    ModelConfig config =
        minimal(", \"classifier_dropout\": null, \"big\": 12345678901, \"huge\": 123456789012345678901234567890,"
            + " \"layer_norm_eps\": 1e-7, \"nested\": {\"list\": [1, \"two\", [true, null]]}");

    Map<String, Object> values = config.toMap();

    assertTrue(values.containsKey("classifier_dropout"));
    assertNull(values.get("classifier_dropout"));
    assertEquals(8, values.get("hidden_size"));
    assertEquals(12345678901L, values.get("big"));
    assertEquals(new BigInteger("123456789012345678901234567890"), values.get("huge"));
    assertEquals(1e-7, values.get("layer_norm_eps"));
    assertEquals(Map.of("list", Arrays.asList(1, "two", Arrays.asList(true, null))), values.get("nested"));
    assertEquals(config, ModelConfig.fromMap(values));
    assertThrows(UnsupportedOperationException.class, () -> values.put("x", 1));
    assertThrows(UnsupportedOperationException.class, () -> ((Map<?, ?>) values.get("nested")).clear());
  }

  @Test
  void fromMapValidatesLikeTheFile() {
    Map<String, Object> values = new LinkedHashMap<>(minimal("").toMap());
    values.remove("hidden_size");
    ModelLoadException missing = assertThrows(ModelLoadException.class, () -> ModelConfig.fromMap(values));
    assertEquals("config.json has none of [hidden_size, dim]", missing.getMessage());

    values.put("hidden_size", 8);
    values.put("custom", Map.of("when", new Date(0)));
    IllegalArgumentException notPlain = assertThrows(IllegalArgumentException.class, () -> ModelConfig.fromMap(values));
    assertTrue(notPlain.getMessage().startsWith("config.json.custom.when is a java.util.Date"), notPlain.getMessage());
  }
}
