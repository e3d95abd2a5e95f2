package dev.jtransformers.pipelines;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jtransformers.api.BackendException;
import dev.jtransformers.api.BatchEncoding;
import dev.jtransformers.api.Device;
import dev.jtransformers.api.EncodeOptions;
import dev.jtransformers.api.ModelLoadException;
import dev.jtransformers.api.ModelOutput;
import dev.jtransformers.api.Tensor;
import dev.jtransformers.api.TextInput;
import dev.jtransformers.pipelines.tasks.FeatureExtraction;
import dev.jtransformers.pipelines.tasks.FunctionToApply;
import dev.jtransformers.tokenizer.ComposedTokenizer;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The step-by-step API reproduces what Python {@code transformers} computes with {@code AutoTokenizer}, {@code
 * AutoModel} and {@code AutoModelForSequenceClassification} ({@code reference.jsonl} beside each model in {@code
 * ../shared}), and works on the embedded model without it.
 */
class AutoClassesTest {
  static final String EMBEDDED = FeatureExtraction.DEFAULT_MODEL;
  private static final float TOLERANCE = 1e-4f;
  private static final List<TextInput> COURSE =
      List.of(
          TextInput.of("I've been waiting for a HuggingFace course my whole life."),
          TextInput.of("I hate this so much!"));

  /** Python's {@code tokenizer(texts, padding=True, truncation=True)}. */
  static BatchEncoding encode(ComposedTokenizer tokenizer, List<TextInput> inputs) {
    return tokenizer.encodeBatch(
        inputs,
        EncodeOptions.builder()
            .padding(EncodeOptions.Padding.LONGEST)
            .truncation(EncodeOptions.Truncation.LONGEST_FIRST)
            .maxLength(tokenizer.modelMaxLength().orElseThrow())
            .build());
  }

  @Test
  void embeddedModelGivesTheCourseIdsAndHiddenStateShape() {
    ComposedTokenizer tokenizer = AutoTokenizer.fromPretrained(EMBEDDED);
    BatchEncoding inputs = encode(tokenizer, COURSE);
    assertArrayEquals(
        new long[] {101, 1045, 1005, 2310, 2042, 3403, 2005, 1037, 17662, 12172, 2607, 2026, 2878, 2166, 1012, 102},
        inputs.inputIds()[0]);
    assertArrayEquals(new long[] {101, 1045, 5223, 2023, 2061, 2172, 999, 102, 0, 0, 0, 0, 0, 0, 0, 0},
        inputs.inputIds()[1]);
    assertArrayEquals(new long[] {1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0}, inputs.attentionMask()[1]);
    try (AutoModel model = AutoModel.fromPretrained(EMBEDDED)) {
      assertEquals(384, model.config().hiddenSize());
      assertTrue(model.outputNames().contains(ModelOutput.LAST_HIDDEN_STATE), model.outputNames().toString());
      assertArrayEquals(
          new int[] {2, 16, 384}, model.forward(inputs).get(ModelOutput.LAST_HIDDEN_STATE).shape());
    }
  }

  @Test
  void aModelWithoutAClassifierSaysSo() {
    ModelLoadException e =
        assertThrows(ModelLoadException.class, () -> AutoModelForSequenceClassification.fromPretrained(EMBEDDED));
    assertTrue(e.getMessage().contains("has no classification head"), e.getMessage());
  }

  @Test
  void loadOptionsChooseTheBackendAndDevice() {
    BackendException absent =
        assertThrows(
            BackendException.class,
            () -> AutoModel.fromPretrained(EMBEDDED, LoadOptions.builder().backend("tensorflow").build()));
    assertTrue(absent.getMessage().contains("jtransformers-backend-tensorflow"), absent.getMessage());
    LoadOptions onGpu = LoadOptions.builder().backend("onnx").device(Device.cuda(0)).build();
    BackendException noGpu = assertThrows(BackendException.class, () -> AutoModel.fromPretrained(EMBEDDED, onGpu));
    assertTrue(noGpu.getMessage().contains("cuda:0"), noGpu.getMessage());
  }

  @Test
  void aBaseModelLeavesOutTheClassifiersLogits() {
    Path checkpoint = SharedFixtures.require("models/minilm-l6-sst2");
    LoadOptions onnx = LoadOptions.builder().backend("onnx").build();
    try (AutoModel model = AutoModel.fromPretrained(checkpoint.toString(), onnx)) {
      assertEquals(Set.of(ModelOutput.LAST_HIDDEN_STATE), model.outputNames());
      BatchEncoding inputs = encode(AutoTokenizer.fromPretrained(checkpoint.toString()), COURSE);
      assertEquals(Set.of(ModelOutput.LAST_HIDDEN_STATE), model.forward(inputs).names());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"minilm-l6-sst2", "tiny-random-bert", "tiny-random-distilbert"})
  void stepsByHandMatchPython(String name) {
    Path checkpoint = SharedFixtures.require("models/" + name);
    List<JsonNode> rows = SharedFixtures.jsonLines(checkpoint.resolve("reference.jsonl"));
    BatchEncoding inputs =
        encode(AutoTokenizer.fromPretrained(checkpoint.toString()), PipelineReferenceTest.inputs(rows));
    try (AutoModel base = AutoModel.fromPretrained(checkpoint.toString());
        AutoModelForSequenceClassification classifier =
            AutoModelForSequenceClassification.fromPretrained(checkpoint.toString())) {
      Tensor states = base.forward(inputs).get(ModelOutput.LAST_HIDDEN_STATE);
      Tensor logits = classifier.forward(inputs);
      Tensor probabilities = FunctionToApply.SOFTMAX.apply(logits);
      assertArrayEquals(new int[] {rows.size(), classifier.config().numLabels()}, logits.shape());
      for (int i = 0; i < rows.size(); i++) {
        JsonNode row = rows.get(i);
        String what = name + " row " + i;
        assertArrayEquals(SharedFixtures.floats(row.get("logits")), logits.slice(i).toFloatArray(), TOLERANCE, what);
        assertArrayEquals(
            SharedFixtures.floats(row.get("probabilities")), probabilities.slice(i).toFloatArray(), TOLERANCE, what);
        JsonNode expectedStates = row.get("last_hidden_state");
        for (int t = 0; t < expectedStates.size(); t++) {
          assertArrayEquals(
              SharedFixtures.floats(expectedStates.get(t)),
              states.slice(i).slice(t).toFloatArray(),
              TOLERANCE,
              what + " token " + t);
        }
      }
    }
  }
}
