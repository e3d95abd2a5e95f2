package dev.jtransformers.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtransformers.api.Device;
import dev.jtransformers.api.ModelLoadException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineConfigTest {
  @TempDir Path dir;

  @Test
  void jsonAndYamlFilesDescribeTheSameConfigAsTheBuilder() throws IOException {
    Path json = Files.writeString(dir.resolve("p.json"), """
        {"task": "sentiment-analysis", "model": "/models/m", "backend": "onnx", "device": "cuda:1",
         "batch_size": 8, "max_length": 64, "top_k": "all", "function_to_apply": "sigmoid",
         "head": {"type": "trained", "path": "/heads/h"}, "backend_options": {"onnx.optimization_level": "all"}}
        """);
    Path yaml = Files.writeString(dir.resolve("p.yaml"), """
        task: sentiment-analysis
        model: /models/m
        backend: onnx
        device: cuda:1
        batch_size: 8
        max_length: 64
        top_k: all
        function_to_apply: sigmoid
        head: {type: trained, path: /heads/h}
        backend_options: {onnx.optimization_level: all}
        """);
    PipelineConfig built =
        PipelineConfig.builder(Task.TEXT_CLASSIFICATION)
            .model("/models/m")
            .backend("onnx")
            .device(Device.cuda(1))
            .batchSize(8)
            .maxLength(64)
            .allLabels()
            .functionToApply(FunctionToApply.SIGMOID)
            .head(new PipelineConfig.HeadSpec("trained", Map.of("path", "/heads/h")))
            .backendOption("onnx.optimization_level", "all")
            .build();
    assertEquals(built.toString(), PipelineConfig.load(json).toString());
    assertEquals(built.toString(), PipelineConfig.load(yaml).toString());
    assertEquals(Map.of("onnx.optimization_level", "all"), PipelineConfig.load(yaml).backendOptions());
  }

  @Test
  void defaultsLeaveModelChoicesOpen() {
    PipelineConfig c = PipelineConfig.builder(Task.FEATURE_EXTRACTION).build();
    assertTrue(c.model().isEmpty());
    assertTrue(c.pooling().isEmpty());
    assertTrue(c.normalize().isEmpty());
    assertTrue(c.truncation());
    assertEquals(1, c.topK());
    assertEquals(PipelineConfig.DEFAULT_BATCH_SIZE, c.batchSize());
    assertEquals(Device.CPU, c.device());
  }

  @Test
  void topKNullMeansAllLabels() throws IOException {
    Path json = Files.writeString(dir.resolve("p.json"), "{\"task\": \"text-classification\", \"top_k\": null}");
    assertEquals(0, PipelineConfig.load(json).topK());
  }

  @Test
  void badFilesNameTheFileAndTheKey() throws IOException {
    ModelLoadException missing =
        assertThrows(ModelLoadException.class, () -> PipelineConfig.load(dir.resolve("absent.json")));
    assertTrue(missing.getMessage().contains("absent.json"), missing.getMessage());

    Path typo = Files.writeString(dir.resolve("typo.json"), "{\"task\": \"feature-extraction\", \"batchsize\": 4}");
    ModelLoadException unknown = assertThrows(ModelLoadException.class, () -> PipelineConfig.load(typo));
    assertTrue(unknown.getMessage().contains("batchsize"), unknown.getMessage());

    Path noTask = Files.writeString(dir.resolve("notask.json"), "{\"model\": \"m\"}");
    assertTrue(assertThrows(ModelLoadException.class, () -> PipelineConfig.load(noTask)).getMessage().contains("task"));

    Path badSize = Files.writeString(dir.resolve("bad.json"), "{\"task\": \"feature-extraction\", \"batch_size\": 0}");
    assertTrue(
        assertThrows(ModelLoadException.class, () -> PipelineConfig.load(badSize)).getMessage().contains("batch_size"));

    Path broken = Files.writeString(dir.resolve("broken.json"), "{\"task\": ");
    assertTrue(assertThrows(ModelLoadException.class, () -> PipelineConfig.load(broken)).getMessage().contains("broken.json"));
  }

  @Test
  void unknownTaskListsTheKnownOnes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Task.of("summarization"));
    assertTrue(e.getMessage().contains("sentiment-analysis") && e.getMessage().contains("feature-extraction"));
    assertEquals(Task.TEXT_CLASSIFICATION, Task.of("Sentiment-Analysis"));
  }

  @Test
  void toBuilderKeepsEverything() {
    PipelineConfig c =
        PipelineConfig.builder(Task.FEATURE_EXTRACTION).pooling(PipelineConfig.Pooling.CLS).normalize(false).build();
    PipelineConfig copy = c.toBuilder().build();
    assertEquals(c.toString(), copy.toString());
    assertFalse(copy.normalize().orElseThrow());
  }
}
