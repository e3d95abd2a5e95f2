package dev.jtransformers.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jtransformers.api.Label;
import dev.jtransformers.api.Pipeline;
import dev.jtransformers.api.Tensor;
import dev.jtransformers.api.TextInput;
import dev.jtransformers.pipelines.tasks.FeatureExtraction;
import dev.jtransformers.pipelines.tasks.FunctionToApply;
import dev.jtransformers.pipelines.tasks.TextClassification;
import dev.jtransformers.pipelines.tasks.TopK;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Pipelines on real checkpoints reproduce what Python {@code transformers} computed for them ({@code
 * reference.jsonl} beside each model in {@code ../shared}): logits, probabilities and hidden states.
 */
class PipelineReferenceTest {
  private static final double TOLERANCE = 1e-4;

  @ParameterizedTest
  @ValueSource(strings = {"minilm-l6-sst2", "tiny-random-bert", "tiny-random-distilbert"})
  void classificationMatchesPython(String name) {
    Path model = SharedFixtures.require("models/" + name);
    List<JsonNode> rows = SharedFixtures.jsonLines(model.resolve("reference.jsonl"));
    List<TextInput> inputs = inputs(rows);
    var probabilities =
        PipelineConfig.builder(TextClassification.TASK).model(model.toString()).option(TextClassification.TOP_K, TopK.ALL).build();
    var logits = probabilities.toBuilder().option(TextClassification.FUNCTION_TO_APPLY, FunctionToApply.NONE).build();
    try (Pipeline<List<Label>> p = Pipelines.create(probabilities);
        Pipeline<List<Label>> l = Pipelines.create(logits)) {
      List<List<Label>> scored = p.applyAll(inputs);
      List<List<Label>> raw = l.applyAll(inputs);
      List<String> labelOrder = labelsOf(model);
      for (int i = 0; i < rows.size(); i++) {
        assertScores(rows.get(i).get("probabilities"), scored.get(i), labelOrder, name + " row " + i);
        assertScores(rows.get(i).get("logits"), raw.get(i), labelOrder, name + " row " + i);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"minilm-l6-sst2", "tiny-random-bert", "tiny-random-distilbert"})
  void tokenLevelFeaturesMatchPythonHiddenStates(String name) {
    Path model = SharedFixtures.require("models/" + name);
    List<JsonNode> rows = SharedFixtures.jsonLines(model.resolve("reference.jsonl"));
    var config =
        PipelineConfig.builder(FeatureExtraction.TASK)
            .model(model.toString())
            .option(FeatureExtraction.POOLING, Optional.empty())
            .build();
    try (Pipeline<Tensor> p = Pipelines.create(config)) {
      List<Tensor> states = p.applyAll(inputs(rows));
      for (int i = 0; i < rows.size(); i++) {
        JsonNode expected = rows.get(i).get("last_hidden_state");
        Tensor actual = states.get(i);
        assertEquals(expected.size(), actual.dim(0), name + " row " + i + " token count");
        double worst = 0;
        for (int t = 0; t < expected.size(); t++) {
          float[] want = SharedFixtures.floats(expected.get(t));
          for (int h = 0; h < want.length; h++) {
            worst = Math.max(worst, Math.abs(want[h] - actual.get(t, h)));
          }
        }
        assertTrue(worst <= TOLERANCE, name + " row " + i + ": max abs diff " + worst);
      }
    }
  }

  static List<TextInput> inputs(List<JsonNode> rows) {
    List<TextInput> inputs = new ArrayList<>();
    for (JsonNode row : rows) {
      inputs.add(
          row.hasNonNull("text_pair")
              ? TextInput.pair(row.get("text").asText(), row.get("text_pair").asText())
              : TextInput.of(row.get("text").asText()));
    }
    return inputs;
  }

  private static List<String> labelsOf(Path model) {
    return dev.jtransformers.models.ModelConfig.load(model).labels();
  }

  private static void assertScores(JsonNode expected, List<Label> actual, List<String> labelOrder, String what) {
    assertEquals(expected.size(), actual.size(), what);
    for (Label label : actual) {
      double want = expected.get(labelOrder.indexOf(label.label())).asDouble();
      assertEquals(want, label.score(), TOLERANCE, what + " " + label.label());
    }
  }
}
