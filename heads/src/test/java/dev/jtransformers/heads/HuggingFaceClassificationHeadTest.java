package dev.jtransformers.heads;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtransformers.api.ModelLoadException;
import dev.jtransformers.api.Tensor;
import dev.jtransformers.models.Pooling;
import dev.jtransformers.models.safetensors.SafetensorsWriter;
import dev.jtransformers.spi.HeadContext;
import dev.jtransformers.spi.HeadFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HuggingFaceClassificationHeadTest {
  private static final float TOLERANCE = 1e-4f;

  @TempDir Path dir;

  @ParameterizedTest(name = "{0} with {1}")
  @CsvSource({
    "tiny-random-bert, bert-classification",
    "tiny-random-distilbert, distilbert-classification",
    "minilm-l6-sst2, bert-classification",
  })
  void reproducesThePythonLogitsFromThePythonHiddenStates(String model, String head) {
    Path directory = SharedFixtures.model(model);
    SharedFixtures.Reference reference = SharedFixtures.Reference.read(directory);

    Tensor logits =
        HeadRegistry.fromServiceLoader()
            .create(head, new HeadContext(directory, Map.of()))
            .apply(reference.output(), reference.batch());

    assertEquals(reference.logits().length, logits.dim(0));
    float[][] actual = logits.toFloatArray2D();
    for (int b = 0; b < actual.length; b++) {
      assertArrayEquals(reference.logits()[b], actual[b], TOLERANCE, "input " + b);
    }
  }

  /** A small {@code config.json} with 3 labels, hidden size 4 under the architecture's key. */
  private static String config(String modelType, String hiddenSizeKey) {
    return "{\"model_type\": \"" + modelType + "\", \"" + hiddenSizeKey + "\": 4, \"num_hidden_layers\": 1, \"num_attention_heads\": 1, "
        + "\"intermediate_size\": 8, \"vocab_size\": 10, \"max_position_embeddings\": 16, "
        + "\"id2label\": {\"0\": \"A\", \"1\": \"B\", \"2\": \"C\"}}";
  }

  /** A BERT model directory with hidden size 4 and 3 labels; {@code classifierRows} sizes the classifier. */
  private Path syntheticBert(int classifierRows) throws IOException {
    Files.writeString(dir.resolve("config.json"), config("bert", "hidden_size"));
    SafetensorsWriter.write(
        dir.resolve("model.safetensors"),
        Map.of(
            "bert.pooler.dense.weight", Tensor.of(new float[16], 4, 4),
            "bert.pooler.dense.bias", Tensor.of(new float[4], 4),
            "classifier.weight", Tensor.of(new float[classifierRows * 4], classifierRows, 4),
            "classifier.bias", Tensor.of(new float[classifierRows], classifierRows)),
        Map.of());
    return dir;
  }

  @Test
  void sizesTheHeadFromTheConfiguration() throws IOException {
    ClassificationHead head =
        (ClassificationHead) new BertClassificationHeadFactory().create(new HeadContext(syntheticBert(3), Map.of()));
    assertEquals(4, head.inputs());
    assertEquals(3, head.outputs());
    assertEquals(new PoolingHead(Pooling.CLS, false), head.pooling());
    assertEquals(Activation.TANH, head.layers().get(0).activation());
  }

  @Test
  void refusesWeightsThatDisagreeWithTheConfiguration() throws IOException {
    Path model = syntheticBert(2);
    var e = assertThrows(ModelLoadException.class, () -> create(new BertClassificationHeadFactory(), model));
    assertMentions(e, "model.safetensors: tensor 'classifier.weight' has shape [2, 4]");
    assertMentions(e, "implies [3, 4]");
  }

  @Test
  void namesTheMissingTensor() throws IOException {
    Path model = syntheticBert(3); // BERT tensor names, read as DistilBERT
    Files.writeString(model.resolve("config.json"), config("distilbert", "dim"));
    var e = assertThrows(ModelLoadException.class, () -> create(new DistilBertClassificationHeadFactory(), model));
    assertMentions(e, "no tensor 'pre_classifier.weight'");
  }

  @Test
  void namesTheMissingFiles() throws IOException {
    var noConfig = assertThrows(ModelLoadException.class, () -> create(new BertClassificationHeadFactory(), dir));
    assertMentions(noConfig, dir.resolve("config.json") + " does not exist");
    Files.writeString(dir.resolve("config.json"), config("bert", "hidden_size"));
    var noWeights = assertThrows(ModelLoadException.class, () -> create(new BertClassificationHeadFactory(), dir));
    assertMentions(noWeights, dir.resolve("model.safetensors") + ": no such file");
  }

  @Test
  void refusesOptions() throws IOException {
    Path model = syntheticBert(3);
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new BertClassificationHeadFactory().create(new HeadContext(model, Map.of("pooling", "mean"))));
    assertEquals("head 'bert-classification' has no option [pooling]; its options are []", e.getMessage());
  }

  private static void create(HeadFactory factory, Path model) {
    factory.create(new HeadContext(model, Map.of()));
  }

  private static void assertMentions(Exception e, String expected) {
    assertTrue(e.getMessage().contains(expected), () -> "expected '" + expected + "' in: " + e.getMessage());
  }
}
