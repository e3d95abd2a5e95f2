package dev.jtransformers.pipelines;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtransformers.api.Pipeline;
import dev.jtransformers.api.Tensor;
import dev.jtransformers.models.ModelResolver;
import dev.jtransformers.pipelines.tasks.FeatureExtraction;
import dev.jtransformers.spi.LoadRequest;
import dev.jtransformers.spi.ModelExporter;
import dev.jtransformers.spi.ModelFormat;
import dev.jtransformers.spi.ProviderRegistry;
import java.io.IOException;
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

  @Test
  void theEmbeddedEncoderQuantisedEmbedsAsTheFloatOneDoes(@TempDir Path directory) throws IOException {
    ModelResolver resolver = new ModelResolver();
    Path source = resolver.resolve(FeatureExtraction.DEFAULT_MODEL);
    Path out = directory.resolve("int8");
    ModelExporter exporter =
        ProviderRegistry.discover(ModelExporter.class, "model exporter", ModelExporter::name).get("onnx_int8");

    exporter.export(LoadRequest.builder(source, ModelFormat.ONNX).cacheDirectory(resolver.cache().root()).build(), out);

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
    // Python's quantize_dynamic(per_channel=True) of the same graph: 0.973-0.992 on such short texts
    assertTrue(mean >= 0.98 && least >= 0.97, "cosines " + cosines);
  }
}
