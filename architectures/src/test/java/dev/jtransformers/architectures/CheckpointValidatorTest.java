package dev.jtransformers.architectures;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtransformers.api.ModelLoadException;
import dev.jtransformers.api.Tensor;
import dev.jtransformers.models.ModelConfig;
import dev.jtransformers.models.safetensors.SafetensorsFile;
import dev.jtransformers.models.safetensors.SafetensorsWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class CheckpointValidatorTest {
  /** A BERT masked LM: hidden 4, one layer of 2 heads, FFN 8, vocabulary 10. */
  private static final ModelConfig MASKED_LM =
      ModelConfig.parse(
          """
          {"model_type": "bert", "architectures": ["BertForMaskedLM"], "hidden_size": 4, "num_hidden_layers": 1,
           "num_attention_heads": 2, "intermediate_size": 8, "vocab_size": 10, "max_position_embeddings": 6,
           "type_vocab_size": 2}
          """);
  private static final NetworkSpec SPEC = NetworkSpec.of(MASKED_LM);

  @TempDir Path dir;

  /** Every tensor {@link #SPEC} reads, zeros of the right shape, changed by {@code edit} and written to a file. */
  private Path checkpoint(Consumer<Map<String, Tensor>> edit) {
    Map<String, Tensor> tensors = new TreeMap<>();
    SPEC.parameters().forEach(parameter -> tensors.put(parameter.name(), zeros(parameter.shape())));
    edit.accept(tensors);
    Path file = dir.resolve("model.safetensors");
    SafetensorsWriter.write(file, tensors, Map.of());
    return file;
  }

  private static Tensor zeros(int... shape) {
    int size = 1;
    for (int dimension : shape) {
      size *= dimension;
    }
    return Tensor.wrap(new float[size], shape);
  }

  private static String problem(Path file) {
    try (SafetensorsFile weights = SafetensorsFile.open(file)) {
      return assertThrows(ModelLoadException.class, () -> CheckpointValidator.validate(SPEC, weights)).getMessage();
    }
  }

  private static void assertValid(Path file) {
    try (SafetensorsFile weights = SafetensorsFile.open(file)) {
      assertDoesNotThrow(() -> CheckpointValidator.validate(SPEC, weights));
    }
  }

  @Test
  void acceptsTheSpecsParametersWithoutTheTiedDecoderWeight() {
    assertTrue(SPEC.parameters().stream().noneMatch(p -> p.name().startsWith("cls.predictions.decoder")));
    assertValid(checkpoint(tensors -> {}));
  }

  @Test
  void acceptsStoredCopiesOfTiedWeightsAndOldBuffers() {
    assertValid(
        checkpoint(
            tensors -> {
              tensors.put("cls.predictions.decoder.weight", zeros(10, 4));
              tensors.put("cls.predictions.decoder.bias", zeros(10));
              tensors.put("bert.embeddings.position_ids", zeros(1, 6));
            }));
  }

  @Test
  void namesAMissingTensor() {
    Path file = checkpoint(tensors -> tensors.remove("bert.encoder.layer.0.attention.self.key.bias"));
    assertEquals(
        file + ": no tensor 'bert.encoder.layer.0.attention.self.key.bias' [4]"
            + " (checked against BertForMaskedLM as config.json describes it)",
        problem(file));
  }

  @Test
  void namesAnUnexpectedTensor() {
    Path file = checkpoint(tensors -> tensors.put("bert.encoder.layer.1.output.dense.weight", zeros(4, 8)));
    assertEquals(
        file + ": unexpected tensor 'bert.encoder.layer.1.output.dense.weight' [4, 8]"
            + " (checked against BertForMaskedLM as config.json describes it)",
        problem(file));
  }

  @Test
  void namesAMisshapedTensor() {
    Path file = checkpoint(tensors -> tensors.put("cls.predictions.bias", zeros(9)));
    assertEquals(
        file + ": tensor 'cls.predictions.bias' has shape [9], but the configuration implies [10]"
            + " (checked against BertForMaskedLM as config.json describes it)",
        problem(file));
  }

  @Test
  void checksTheShapeOfAStoredTiedWeight() {
    Path file = checkpoint(tensors -> tensors.put("cls.predictions.decoder.weight", zeros(4, 10)));
    assertEquals(
        file + ": tensor 'cls.predictions.decoder.weight' has shape [4, 10], but the configuration implies [10, 4]"
            + " (checked against BertForMaskedLM as config.json describes it)",
        problem(file));
  }

  @Test
  void namesTheFirstFiveProblemsOfACheckpointOfAnotherArchitecture() {
    Path file = checkpoint(tensors -> {});
    NetworkSpec distilBert = NetworkSpec.of(Architecture.DISTILBERT, TaskHead.MASKED_LM, MASKED_LM);
    try (SafetensorsFile weights = SafetensorsFile.open(file)) {
      String message =
          assertThrows(ModelLoadException.class, () -> CheckpointValidator.validate(distilBert, weights)).getMessage();
      // Every DistilBERT tensor is missing, every BERT tensor unexpected: the two share no name.
      int problems = distilBert.parameters().size() + SPEC.parameters().size();
      assertEquals(
          file + ": no tensor 'distilbert.embeddings.word_embeddings.weight' [10, 4]; no tensor"
              + " 'distilbert.embeddings.position_embeddings.weight' [6, 4]; no tensor"
              + " 'distilbert.embeddings.LayerNorm.weight' [4]; no tensor 'distilbert.embeddings.LayerNorm.bias' [4];"
              + " no tensor 'distilbert.transformer.layer.0.attention.q_lin.weight' [4, 4]; and "
              + (problems - 5) + " more (checked against DistilBertForMaskedLM as config.json describes it)",
          message);
    }
  }

  @Test
  void requiresSomeParametersAmongOthers() {
    Path file = checkpoint(tensors -> tensors.put("cls.predictions.bias", zeros(9)));
    HeadSpec head = Architecture.BERT.head(TaskHead.MASKED_LM, MASKED_LM);
    try (SafetensorsFile weights = SafetensorsFile.open(file)) {
      CheckpointValidator.requireParameters(weights, head.layers().get(0).parameters());
      var e =
          assertThrows(
              ModelLoadException.class, () -> CheckpointValidator.requireParameters(weights, head.parameters()));
      assertEquals(
          file + ": tensor 'cls.predictions.bias' has shape [9], but the configuration implies [10]", e.getMessage());
    }
  }

  /** The real names: every fixture checkpoint holds exactly what its configuration describes. */
  @ParameterizedTest
  @MethodSource(SharedFixtures.CHECKPOINTS)
  void acceptsEveryFixtureCheckpoint(String model) {
    Path directory = SharedFixtures.model(model);
    NetworkSpec spec = NetworkSpec.of(ModelConfig.load(directory));
    try (SafetensorsFile weights = SafetensorsFile.open(directory.resolve("model.safetensors"))) {
      CheckpointValidator.validate(spec, weights);
      assertEquals(spec.parameters().size(), weights.names().size(), "every tensor is a parameter");
    }
  }

  @Test
  void checksACheckpointBeforeANetworkIsBuiltFromIt() {
    Path file = checkpoint(tensors -> tensors.remove("cls.predictions.bias"));
    try (SafetensorsFile weights = SafetensorsFile.open(file)) {
      var e = assertThrows(ModelLoadException.class, () -> Network.build(SPEC, new FloatArrayOps(), weights));
      assertTrue(e.getMessage().contains("no tensor 'cls.predictions.bias' [10]"), e.getMessage());
    }
  }
}
