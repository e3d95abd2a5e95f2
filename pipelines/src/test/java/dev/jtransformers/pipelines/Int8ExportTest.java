package dev.jtransformers.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtransformers.api.Pipeline;
import dev.jtransformers.api.Tensor;
import dev.jtransformers.models.ModelResolver;
import dev.jtransformers.pipelines.tasks.FeatureExtraction;
import dev.jtransformers.spi.ModelFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded MiniLM quantised to int8 by the ONNX backend's exporter, served by the same pipeline as fp32. */
class Int8ExportTest {
  private static final List<String> TEXTS = List.of(
      "I love this", "I hate this so much!", "A man is playing a guitar.", "The stock market fell sharply today.",
      "Three dogs run across a snowy field", "what is the capital of france?", "", "ok",
      "The new phone's battery lasts two days, but the camera is disappointing in low light.",
      "Der schnelle braune Fuchs springt über den faulen Hund.", "1234 5678 +-*/ ### !!!",
      "it's a charming and often affecting journey . ", "unflinchingly bleak and desperate ");

  /** Texts to calibrate on, none of them among those compared. */
  private static final List<String> CALIBRATION = List.of(
      "The train to the city was delayed by forty minutes because of a signal failure.",
      "Q3 revenue: $4.8bn, up 11% year on year; operating margin 23.5%.",
      "Can you tell me how to reset the password on my router?",
      "a gorgeous , witty , seductive movie .", "WHY IS NOBODY TALKING ABOUT THIS?!",
      "Le musée est fermé le mardi et les jours fériés.", "Two children are building a sandcastle on the beach.",
      "SELECT name, COUNT(*) FROM orders GROUP BY name;", "Thanks!",
      "The hotel staff were friendly, but the room smelled of smoke and the breakfast was cold.");

  @Test
  void theDefaultCalibrationTextsAreTheShippedSentencesAndBlankTextsCalibrateNothing(@TempDir Path directory) {
    List<String> texts = ModelExports.defaultCalibrationTexts();
    assertEquals(202, texts.size());
    assertTrue(texts.stream().noneMatch(String::isBlank));

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelExports.export(
        FeatureExtraction.DEFAULT_MODEL, "onnx_int8", List.of("", "  "), directory.resolve("out")));
    assertTrue(e.getMessage().contains("no text to calibrate on"), e.getMessage());
  }

  @Test
  void aBareOnnxFileWithoutATokenizerIsExportedUncalibrated(@TempDir Path directory) throws IOException {
    Path bare = Files.createDirectories(directory.resolve("bare/onnx"));
    Files.copy(new ModelResolver().resolve(FeatureExtraction.DEFAULT_MODEL).resolve("onnx/model.onnx"),
        bare.resolve("model.onnx"));

    ModelExports.export(directory.resolve("bare").toString(), "onnx_int8", directory.resolve("out"));

    String graph = new String(Files.readAllBytes(directory.resolve("out/onnx/model.onnx")),
        StandardCharsets.ISO_8859_1);
    assertTrue(graph.contains("DynamicQuantizeMatMul"), "quantised");
    assertFalse(graph.contains("_smoothed"), "no tokenizer to calibrate with: not smoothed");
  }

  @Test
  void theEmbeddedEncoderQuantisedEmbedsAsTheFloatOneDoes(@TempDir Path directory) throws IOException {
    Path source = new ModelResolver().resolve(FeatureExtraction.DEFAULT_MODEL);
    Path out = directory.resolve("int8");

    ModelFormat written = ModelExports.export(FeatureExtraction.DEFAULT_MODEL, "onnx_int8", CALIBRATION, out);

    assertEquals(ModelFormat.ONNX, written);
    long fp32Bytes = Files.size(source.resolve("onnx/model.onnx"));
    long int8Bytes = Files.size(out.resolve("onnx/model.onnx"));
    assertTrue(int8Bytes < fp32Bytes * 0.7, "int8 matrices (the word embeddings stay float): " + int8Bytes + " bytes against " + fp32Bytes);
    // One text a call: dynamic quantisation scales a batch's activations together, so batch-mates change results.
    List<Tensor> full = new ArrayList<>();
    List<Tensor> quantized = new ArrayList<>();
    try (Pipeline<Tensor> pipeline = Pipelines.create(PipelineConfig.builder(FeatureExtraction.TASK).build())) {
      TEXTS.forEach(text -> full.add(pipeline.apply(text)));
    }
    try (Pipeline<Tensor> pipeline =
        Pipelines.create(PipelineConfig.builder(FeatureExtraction.TASK).model(out.toString()).build())) {
      TEXTS.forEach(text -> quantized.add(pipeline.apply(text))); // pooled, normalised: the modules came along
    }
    List<Double> cosines = new ArrayList<>();
    for (int i = 0; i < TEXTS.size(); i++) {
      cosines.add(FeatureExtractionTest.cosine(full.get(i).toFloatArray(), quantized.get(i).toFloatArray()));
    }
    double mean = cosines.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    double least = cosines.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    // smoothed on ten sentences: 0.989-0.999 (not, as Python's quantize_dynamic(per_channel=True): 0.973-0.992)
    assertTrue(mean >= 0.99 && least >= 0.985, "cosines " + cosines);
  }
}
