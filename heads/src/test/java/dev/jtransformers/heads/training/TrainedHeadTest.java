package dev.jtransformers.heads.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jtransformers.api.BatchEncoding;
import dev.jtransformers.api.ModelLoadException;
import dev.jtransformers.api.ModelOutput;
import dev.jtransformers.api.Tensor;
import dev.jtransformers.heads.Activation;
import dev.jtransformers.heads.HeadRegistry;
import dev.jtransformers.heads.PoolingHead;
import dev.jtransformers.heads.TestBatches;
import dev.jtransformers.models.Pooling;
import dev.jtransformers.models.safetensors.SafetensorsWriter;
import dev.jtransformers.spi.Head;
import dev.jtransformers.spi.HeadContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainedHeadTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static SyntheticData data;
  private static TrainedHead mlp;

  @TempDir Path dir;

  @BeforeAll
  static void train() {
    data = SyntheticData.blobs(9, 3, 30, 6, 1.0);
    TrainingOptions options =
        TrainingOptions.builder()
            .labels(List.of("low", "mid", "high"))
            .pooling(Pooling.MAX, true)
            .mlp(8, Activation.TANH, 0.1)
            .maxEpochs(10)
            .build();
    mlp = HeadTrainer.train(data.features(), data.labels(), options);
  }

  @Test
  void savedAndLoadedHeadGivesTheSameLogitsAndConfig() {
    mlp.save(dir);
    TrainedHead loaded = TrainedHead.load(dir);
    assertEquals(mlp.config(), loaded.config());
    assertEquals(mlp.head(), loaded.head());
    assertEquals(mlp.logits(data.features()), loaded.logits(data.features()), "bit for bit");
    assertEquals(List.of("low", "mid", "high"), loaded.labels());
  }

  @Test
  void aHeadTrainedOnAnotherEncoderIsRefusedWhenThePipelineIsBuilt(@TempDir Path model) throws IOException {
    mlp.save(dir);
    Files.writeString(model.resolve("config.json"), """
        {"model_type": "bert", "hidden_size": 32, "num_hidden_layers": 1, "num_attention_heads": 1,
         "intermediate_size": 4, "vocab_size": 10, "max_position_embeddings": 8}
        """);
    ModelLoadException e = assertThrows(ModelLoadException.class,
        () -> HeadRegistry.fromServiceLoader().create("trained", new HeadContext(model, Map.of("path", dir.toString()))));
    assertTrue(e.getMessage().contains("takes 6-wide vectors but the model") && e.getMessage().contains("gives 32"),
        e.getMessage());
  }

  @Test
  void theTrainedFactoryPoolsAsInTrainingThenClassifies() {
    mlp.save(dir);
    Head head = HeadRegistry.fromServiceLoader().create("trained", new HeadContext(Path.of("model"), Map.of("path", dir.toString())));

    Random random = new Random(5);
    float[] states = new float[2 * 4 * 6];
    for (int i = 0; i < states.length; i++) {
      states[i] = (float) random.nextGaussian();
    }
    ModelOutput output = ModelOutput.of(Map.of(ModelOutput.LAST_HIDDEN_STATE, Tensor.of(states, 2, 4, 6)));
    BatchEncoding batch = TestBatches.withMasks(new int[][] {{1, 1, 1, 0}, {1, 1, 0, 0}});

    Tensor expected = mlp.head().logits(new PoolingHead(Pooling.MAX, true).apply(output, batch));
    assertEquals(expected, head.apply(output, batch));
  }

  @Test
  void writesADocumentedReadableConfig() throws IOException {
    mlp.save(dir);
    JsonNode config = JSON.readTree(dir.resolve(TrainedHead.CONFIG_FILE).toFile());
    assertEquals(2, config.get("format_version").intValue());
    assertEquals("mlp", config.get("head_type").textValue());
    assertEquals(8, config.get("hidden_units").intValue());
    assertEquals("tanh", config.get("activation").textValue());
    assertEquals(6, config.get("input_dim").intValue());
    assertEquals("max", config.get("pooling").textValue());
    assertEquals(true, config.get("normalize").booleanValue());
    assertEquals("high", config.get("id2label").get("2").textValue());
    assertEquals(mlp.config().trainingDataSha256(), config.get("training_data").get("sha256").textValue());
    assertEquals(mlp.config().validation().accuracy(), config.get("validation_metrics").get("accuracy").doubleValue());
    assertEquals(
        mlp.config().validation().sentenceAccuracy(),
        config.get("validation_metrics").get("sentence_accuracy").doubleValue());
    assertEquals("softmax", config.get("baseline").get("head_type").textValue());
    assertEquals(
        mlp.config().baseline().sentenceAccuracy(), config.get("baseline").get("sentence_accuracy").doubleValue());
    assertEquals(
        mlp.config().validationSentences(), config.get("training_data").get("validation_sentences").intValue());
    assertEquals(0.1, config.get("hyper_parameters").get("dropout").doubleValue());
  }

  @Test
  void refusesAMissingDirectoryOrFile() throws IOException {
    assertRefused(dir.resolve("absent"), "absent: no such head directory");
    mlp.save(dir);
    Files.delete(dir.resolve(TrainedHead.WEIGHTS_FILE));
    assertRefused(dir, TrainedHead.WEIGHTS_FILE + ": no such file");
    Files.delete(dir.resolve(TrainedHead.CONFIG_FILE));
    assertRefused(dir, TrainedHead.CONFIG_FILE + ": no such file");
  }

  @Test
  void refusesAMalformedConfig() throws IOException {
    assertRefusedAfterEdit(c -> c.put("format_version", 1), "format_version 1 is not supported; this version reads 2");
    assertRefusedAfterEdit(c -> c.remove("baseline"), "'baseline' must be an object, got nothing");
    assertRefusedAfterEdit(c -> c.put("head_type", "svm"), "head type must be one of [softmax, mlp], got 'svm'");
    assertRefusedAfterEdit(c -> c.remove("pooling"), "'pooling' must be a string, got nothing");
    assertRefusedAfterEdit(c -> c.put("pooling", "sum"), "pooling must be one of [cls, max, mean, mean_sqrt_len, weighted_mean, last_token], got 'sum'");
    assertRefusedAfterEdit(
        c -> ((ObjectNode) c.get("hyper_parameters")).put("batch_size", "32"),
        "'hyper_parameters.batch_size' must be an integer, got \"32\"");
    assertRefusedAfterEdit(c -> ((ObjectNode) c.get("id2label")).remove("1"), "'id2label.1' must be a string");
    assertRefusedAfterEdit(c -> ((ObjectNode) c.get("hyper_parameters")).put("dropout", 2), "dropout: must be in [0, 1)");
    mlp.save(dir);
    Files.writeString(dir.resolve(TrainedHead.CONFIG_FILE), "{\"format_version\": 2,");
    assertRefused(dir, TrainedHead.CONFIG_FILE + ": cannot read head configuration");
  }

  @Test
  void refusesWeightsThatDoNotFitTheConfig() throws IOException {
    assertRefusedAfterEdit(
        c -> c.put("input_dim", 7), "tensor 'layers.0.weight' has shape [8, 6], but the configuration implies [8, 7]");
    assertRefusedAfterEdit(c -> c.put("head_type", "softmax"), "tensor 'layers.0.weight' has shape [8, 6]");
    mlp.save(dir);
    SafetensorsWriter.write(
        dir.resolve(TrainedHead.WEIGHTS_FILE),
        Map.of(
            "layers.0.weight", mlp.head().layers().get(0).weight(),
            "layers.0.bias", mlp.head().layers().get(0).bias(),
            "layers.1.weight", mlp.head().layers().get(1).weight(),
            "layers.1.bias", mlp.head().layers().get(1).bias(),
            "extra", Tensor.of(new float[] {1}, 1)),
        Map.of());
    assertRefused(dir, "a mlp head has 4 tensors, found [extra, layers.0.bias");
  }

  @Test
  void theFactoryNeedsAPath() {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new TrainedHeadFactory().create(new HeadContext(dir, Map.of())));
    assertEquals("head 'trained' needs option 'path'", e.getMessage());
  }

  private void assertRefusedAfterEdit(Consumer<ObjectNode> edit, String expected) throws IOException {
    mlp.save(dir);
    Path file = dir.resolve(TrainedHead.CONFIG_FILE);
    ObjectNode config = (ObjectNode) JSON.readTree(file.toFile());
    edit.accept(config);
    JSON.writeValue(file.toFile(), config);
    assertRefused(dir, expected);
  }

  private static void assertRefused(Path directory, String expected) {
    var e = assertThrows(ModelLoadException.class, () -> TrainedHead.load(directory));
    assertTrue(e.getMessage().contains(expected), () -> "expected '" + expected + "' in: " + e.getMessage());
  }
}
