package dev.jtransformers.architectures;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jtransformers.api.ModelLoadException;
import dev.jtransformers.api.ModelOutput;
import dev.jtransformers.api.Tensor;
import dev.jtransformers.models.ModelConfig;
import dev.jtransformers.models.ModelResolver;
import dev.jtransformers.models.embedded.AllMiniLmL6V2;
import dev.jtransformers.models.safetensors.SafetensorsFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An ONNX export's initializers, read without an engine, are the checkpoint's parameters: the same tensors as its
 * {@code model.safetensors}, and the embedded all-MiniLM-L6-v2 (which ships only as ONNX) built from them gives
 * sentence-transformers' embeddings.
 */
class OnnxWeightsTest {
  /** Cosine similarity the embeddings must reach against sentence-transformers'. */
  private static final double MIN_COSINE = 0.99999;

  @ParameterizedTest
  @MethodSource(SharedFixtures.CHECKPOINTS)
  void initializersHoldEveryParameterOfTheSafetensorsCheckpoint(String model) {
    Path directory = SharedFixtures.model(model);
    NetworkSpec spec = NetworkSpec.of(ModelConfig.load(directory));
    OnnxWeights onnx = OnnxWeights.read(directory.resolve("onnx/model.onnx"), spec);

    CheckpointValidator.validate(spec, onnx);
    try (SafetensorsFile safetensors = SafetensorsFile.open(directory.resolve("model.safetensors"))) {
      for (Parameter parameter : spec.parameters()) {
        Tensor expected = safetensors.getFloat(parameter.name());
        Tensor actual = onnx.read(parameter.name());
        assertArrayEquals(expected.shape(), actual.shape(), parameter.name());
        assertArrayEquals(expected.toFloatArray(), actual.toFloatArray(), model + ": " + parameter.name());
      }
    }
  }

  @Test
  void embeddedMiniLmBuiltFromItsInitializersGivesSentenceTransformersEmbeddings() throws IOException {
    Path referenceFile = SharedFixtures.shared("reference/minilm.embeddings.jsonl");
    Path directory = new ModelResolver().resolve(AllMiniLmL6V2.ID);
    NetworkSpec spec = NetworkSpec.of(ModelConfig.load(directory));
    Network<Tensor> network =
        Network.build(spec, new FloatArrayOps(), OnnxWeights.read(directory.resolve("onnx/model.onnx"), spec));
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> lines;
    try (Stream<String> text = Files.lines(referenceFile)) {
      lines = text.limit(4).map(line -> readJson(json, line)).toList();
    }

    for (JsonNode line : lines) {
      long[] ids = json.convertValue(line.get("input_ids"), long[].class);
      long[][] batch = {ids};
      long[][] mask = {filled(ids.length, 1)};
      long[][] types = {filled(ids.length, 0)};
      Tensor states =
          network.forward(SharedFixtures.inputs(spec, batch, mask, types)).get(ModelOutput.LAST_HIDDEN_STATE);
      float[] expected = json.convertValue(line.get("embedding"), float[].class);
      double cosine = cosine(expected, meanOverTokens(states));
      assertTrue(cosine >= MIN_COSINE, () -> line.get("text") + ": cosine " + cosine);
    }
  }

  @Test
  void aFileThatIsNoOnnxModelIsALoadErrorNamingIt(@TempDir Path directory) throws IOException {
    Path file = Files.write(directory.resolve("model.onnx"), new byte[] {(byte) 0x3a, (byte) 0xff, 0x01});
    NetworkSpec spec = NetworkSpec.of(ModelConfig.load(SharedFixtures.model("tiny-random-bert")));

    ModelLoadException e = assertThrows(ModelLoadException.class, () -> OnnxWeights.read(file, spec));

    assertTrue(e.getMessage().contains(file.toString()), e::getMessage);
  }

  @Test
  void aParameterTheExportLacksIsNamedByTheValidator(@TempDir Path directory) throws IOException {
    // The distilbert export read as the BERT it is not: the validator names what is missing.
    Path bert = SharedFixtures.model("tiny-random-bert");
    Path distilbert = SharedFixtures.model("tiny-random-distilbert");
    NetworkSpec spec = NetworkSpec.of(ModelConfig.load(bert));
    OnnxWeights onnx = OnnxWeights.read(distilbert.resolve("onnx/model.onnx"), spec);

    ModelLoadException e = assertThrows(ModelLoadException.class, () -> CheckpointValidator.validate(spec, onnx));

    assertTrue(e.getMessage().contains("bert.embeddings.word_embeddings.weight"), e::getMessage);
    assertEquals(onnx.path(), distilbert.resolve("onnx/model.onnx"));
  }

  private static long[] filled(int length, long value) {
    long[] values = new long[length];
    Arrays.fill(values, value);
    return values;
  }

  private static float[] meanOverTokens(Tensor states) {
    int tokens = states.dim(1);
    int hidden = states.dim(2);
    float[] values = states.toFloatArray();
    float[] mean = new float[hidden];
    for (int t = 0; t < tokens; t++) {
      for (int h = 0; h < hidden; h++) {
        mean[h] += values[t * hidden + h] / tokens;
      }
    }
    return mean;
  }

  private static double cosine(float[] a, float[] b) {
    double dot = 0;
    double normA = 0;
    double normB = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
      normA += a[i] * a[i];
      normB += b[i] * b[i];
    }
    return dot / Math.sqrt(normA * normB);
  }

  private static JsonNode readJson(ObjectMapper json, String line) {
    try {
      return json.readTree(line);
    } catch (IOException e) {
      throw new AssertionError("malformed reference line: " + line, e);
    }
  }
}
