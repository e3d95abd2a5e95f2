package dev.jtransformers.pipelines;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtransformers.api.BatchEncoding;
import dev.jtransformers.api.ModelOutput;
import dev.jtransformers.api.Pipeline;
import dev.jtransformers.api.Tensor;
import dev.jtransformers.api.TextInput;
import dev.jtransformers.models.ModelConfig;
import dev.jtransformers.models.safetensors.Dtype;
import dev.jtransformers.models.safetensors.SafetensorsFile;
import dev.jtransformers.pipelines.tasks.FeatureExtraction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A model saved by this project loads in it again with identical outputs, and its {@code config.json} and {@code
 * model.safetensors} hold what the Hugging Face files they came from hold.
 */
class SaveTest {
  private static final List<TextInput> INPUTS =
      List.of(
          TextInput.of("I've been waiting for a HuggingFace course my whole life."),
          TextInput.pair("This is the first sentence.", "This is the second one."));

  @TempDir Path saved;

  @ParameterizedTest
  @ValueSource(strings = {"minilm-l6-sst2", "tiny-random-bert", "tiny-random-distilbert"})
  void aSavedClassifierKeepsItsFilesAndOutputs(String name) throws IOException {
    Path source = SharedFixtures.require("models/" + name);
    BatchEncoding inputs = AutoClassesTest.encode(AutoTokenizer.fromPretrained(source.toString()), INPUTS);
    Tensor before;
    try (var model = AutoModelForSequenceClassification.fromPretrained(source.toString())) {
      before = model.forward(inputs);
      model.save(saved);
    }

    assertEquals(ModelConfig.load(source), ModelConfig.load(saved), "config.json");
    try (SafetensorsFile original = SafetensorsFile.open(source.resolve("model.safetensors"));
        SafetensorsFile copy = SafetensorsFile.open(saved.resolve("model.safetensors"))) {
      assertEquals(original.names(), copy.names());
      assertEquals(original.metadata(), copy.metadata());
      for (String tensor : original.names()) {
        assertArrayEquals(original.shape(tensor), copy.shape(tensor), tensor);
        assertEquals(Dtype.F32, copy.dtype(tensor), tensor);
        assertEquals(original.getFloat(tensor), copy.getFloat(tensor), tensor);
      }
    }
    assertEquals(Files.mismatch(source.resolve("onnx/model.onnx"), saved.resolve("onnx/model.onnx")), -1L);
    assertEquals(Files.mismatch(source.resolve("tokenizer.json"), saved.resolve("tokenizer.json")), -1L);

    BatchEncoding again = AutoClassesTest.encode(AutoTokenizer.fromPretrained(saved.toString()), INPUTS);
    assertArrayEquals(inputs.inputIds(), again.inputIds());
    try (var reloaded = AutoModelForSequenceClassification.fromPretrained(saved.toString())) {
      assertEquals(before, reloaded.forward(again));
      assertEquals(ModelConfig.load(source).id2label(), reloaded.config().id2label());
    }
  }

  @Test
  void theEmbeddedModelSavesWithoutWeightsAndLoadsAgain() throws IOException {
    BatchEncoding inputs =
        AutoClassesTest.encode(AutoTokenizer.fromPretrained(AutoClassesTest.EMBEDDED), INPUTS);
    Tensor before;
    try (AutoModel model = AutoModel.fromPretrained(AutoClassesTest.EMBEDDED)) {
      before = model.forward(inputs).get(ModelOutput.LAST_HIDDEN_STATE);
      model.save(saved);
    }
    for (String file :
        List.of("config.json", "onnx/model.onnx", "tokenizer.json", "tokenizer_config.json", "modules.json",
            "sentence_bert_config.json", "1_Pooling/config.json")) {
      assertTrue(Files.isRegularFile(saved.resolve(file)), file + " saved");
    }
    assertFalse(Files.exists(saved.resolve("model.safetensors")), "an ONNX-only model has no weights file to save");

    try (AutoModel reloaded = AutoModel.fromPretrained(saved.toString())) {
      assertEquals(before, reloaded.forward(inputs).get(ModelOutput.LAST_HIDDEN_STATE));
    }
    // The sentence-transformers files came along: the saved model pools and normalises as the original does.
    var original = PipelineConfig.builder(FeatureExtraction.TASK).build();
    try (Pipeline<Tensor> fromId = Pipelines.create(original);
        Pipeline<Tensor> fromSaved =
            Pipelines.create(original.toBuilder().model(saved.toString()).build())) {
      assertEquals(fromId.applyAll(INPUTS), fromSaved.applyAll(INPUTS));
    }
  }

  @Test
  void savingOverTheSourceDirectoryIsRefused() {
    Path source = SharedFixtures.require("models/tiny-random-bert");
    try (AutoModel model = AutoModel.fromPretrained(source.toString())) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.save(source));
      assertTrue(e.getMessage().contains("loaded from"), e.getMessage());
    }
  }
}
