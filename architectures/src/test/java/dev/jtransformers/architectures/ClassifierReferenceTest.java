package dev.jtransformers.architectures;

import static dev.jtransformers.api.ModelOutput.LAST_HIDDEN_STATE;
import static dev.jtransformers.api.ModelOutput.LOGITS;
import static dev.jtransformers.api.ModelOutput.POOLER_OUTPUT;
import static dev.jtransformers.architectures.TensorAssertions.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jtransformers.api.Tensor;
import dev.jtransformers.models.ModelConfig;
import dev.jtransformers.models.safetensors.SafetensorsFile;
import dev.jtransformers.models.safetensors.SafetensorsWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The forward pass on plain arrays, from {@code model.safetensors} and {@code config.json} alone, against the
 * {@code reference.jsonl} Python {@code transformers} wrote for the sequence classifiers of the shared fixtures.
 */
class ClassifierReferenceTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One line of {@code reference.jsonl}. */
  private record Line(long[] ids, long[] typeIds, float[] logits, float[][] hiddenStates) {
    static List<Line> read(Path directory) throws IOException {
      List<Line> lines = new ArrayList<>();
      for (String text : Files.readAllLines(directory.resolve("reference.jsonl"))) {
        JsonNode node = JSON.readTree(text);
        long[] ids = JSON.treeToValue(node.get("input_ids"), long[].class);
        lines.add(
            new Line(
                ids,
                typeIds(ids),
                JSON.treeToValue(node.get("logits"), float[].class),
                JSON.treeToValue(node.get("last_hidden_state"), float[][].class)));
      }
      return lines;
    }

    /** BERT's segments: 0 up to and including the first {@code [SEP]} (each line's last token), 1 after it. */
    private static long[] typeIds(long[] ids) {
      long separator = ids[ids.length - 1];
      long[] types = new long[ids.length];
      for (int i = 1; i < ids.length; i++) {
        types[i] = types[i - 1] == 1 || ids[i - 1] == separator ? 1 : 0;
      }
      return types;
    }
  }

  @ParameterizedTest
  @MethodSource(SharedFixtures.CLASSIFIERS)
  void reproducesPythonOnEachInput(String model) throws IOException {
    Path directory = SharedFixtures.model(model);
    Network<Tensor> network = SharedFixtures.network(directory);
    for (Line line : Line.read(directory)) {
      Map<String, Tensor> outputs = forwardAlone(network, line);

      assertEquals(List.of(LOGITS, LAST_HIDDEN_STATE), List.copyOf(outputs.keySet()));
      String input = model + " " + Arrays.toString(line.ids());
      assertClose(line.logits(), outputs.get(LOGITS).toFloatArray(), input + " logits");
      assertClose(flatten(line.hiddenStates()), outputs.get(LAST_HIDDEN_STATE).toFloatArray(), input + " states");
    }
  }

  /** Padding must not change any input's logits or the hidden states of its tokens. */
  @ParameterizedTest
  @MethodSource(SharedFixtures.CLASSIFIERS)
  void givesEachInputOfAPaddedBatchItsOwnResult(String model) throws IOException {
    Path directory = SharedFixtures.model(model);
    Network<Tensor> network = SharedFixtures.network(directory);
    List<Line> lines = Line.read(directory);
    int longest = lines.stream().mapToInt(line -> line.ids().length).max().orElseThrow();
    long[][] ids = new long[lines.size()][longest]; // padding: id 0, type 0, mask 0
    long[][] mask = new long[lines.size()][longest];
    long[][] types = new long[lines.size()][longest];
    for (int b = 0; b < lines.size(); b++) {
      Line line = lines.get(b);
      System.arraycopy(line.ids(), 0, ids[b], 0, line.ids().length);
      System.arraycopy(line.typeIds(), 0, types[b], 0, line.ids().length);
      Arrays.fill(mask[b], 0, line.ids().length, 1);
    }

    Map<String, Tensor> outputs = network.forward(SharedFixtures.inputs(network.spec(), ids, mask, types));

    for (int b = 0; b < lines.size(); b++) {
      Line line = lines.get(b);
      String input = model + " input " + b + " of " + lines.size();
      assertClose(line.logits(), outputs.get(LOGITS).slice(b).toFloatArray(), input + " logits");
      float[] states = outputs.get(LAST_HIDDEN_STATE).slice(b).toFloatArray();
      float[] unpadded = Arrays.copyOf(states, line.hiddenStates().length * line.hiddenStates()[0].length);
      assertClose(flatten(line.hiddenStates()), unpadded, input + " states");
    }
  }

  /**
   * A bare {@code BertModel} checkpoint (no {@code bert.} prefix, as all-MiniLM-L6-v2's) made from tiny-random-bert's
   * encoder: the same hidden states, and a pooler output that the classifier turns into the reference logits.
   */
  @Test
  void runsABareBaseModelWithoutPrefix(@TempDir Path bare) throws IOException {
    Path directory = SharedFixtures.model("tiny-random-bert");
    Map<String, Tensor> encoder = new TreeMap<>();
    Tensor classifierWeight;
    Tensor classifierBias;
    try (SafetensorsFile weights = SafetensorsFile.open(directory.resolve("model.safetensors"))) {
      for (String name : weights.names()) {
        if (name.startsWith("bert.")) {
          encoder.put(name.substring("bert.".length()), weights.getFloat(name));
        }
      }
      classifierWeight = weights.getFloat("classifier.weight");
      classifierBias = weights.getFloat("classifier.bias");
    }
    SafetensorsWriter.write(bare.resolve("model.safetensors"), encoder, Map.of());
    ModelConfig.load(directory).withArchitectures(List.of("BertModel")).save(bare);
    Network<Tensor> network = SharedFixtures.network(bare);
    FloatArrayOps ops = new FloatArrayOps();

    for (Line line : Line.read(directory)) {
      Map<String, Tensor> outputs = forwardAlone(network, line);

      assertEquals(List.of(LAST_HIDDEN_STATE, POOLER_OUTPUT), List.copyOf(outputs.keySet()));
      String input = Arrays.toString(line.ids());
      assertClose(flatten(line.hiddenStates()), outputs.get(LAST_HIDDEN_STATE).toFloatArray(), input + " states");
      Tensor logits = ops.linear(outputs.get(POOLER_OUTPUT), classifierWeight, classifierBias);
      assertClose(line.logits(), logits.toFloatArray(), input + " classifier(pooler_output)");
    }
  }

  /** The outputs for one line in a batch of its own: no padding, attention everywhere. */
  private static Map<String, Tensor> forwardAlone(Network<Tensor> network, Line line) {
    long[][] ones = new long[1][line.ids().length];
    Arrays.fill(ones[0], 1);
    return network.forward(
        SharedFixtures.inputs(network.spec(), new long[][] {line.ids()}, ones, new long[][] {line.typeIds()}));
  }

  private static float[] flatten(float[][] rows) {
    return Tensor.of(rows).toFloatArray();
  }
}
