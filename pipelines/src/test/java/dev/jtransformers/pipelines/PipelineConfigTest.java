package dev.jtransformers.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.jtransformers.api.Device;
import dev.jtransformers.api.Label;
import dev.jtransformers.api.ModelLoadException;
import dev.jtransformers.api.Tensor;
import dev.jtransformers.models.Pooling;
import dev.jtransformers.pipelines.spi.TaskOptions;
import dev.jtransformers.pipelines.tasks.FeatureExtraction;
import dev.jtransformers.pipelines.tasks.FunctionToApply;
import dev.jtransformers.pipelines.tasks.TextClassification;
import dev.jtransformers.pipelines.tasks.TopK;
import dev.jtransformers.spi.ModelFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineConfigTest {
  private static final PipelineConfigCodec CODEC = PipelineConfigCodec.fromServiceLoader();

  @TempDir Path dir;

  /** Every setting and every option of the task changed from its default. */
  private static PipelineConfig<List<Label>> everything() {
    return PipelineConfig.builder(TextClassification.TASK)
        .model("/models/m")
        .backend("onnx")
        .format(ModelFormat.ONNX)
        .device(Device.cuda(1))
        .batchSize(8)
        .maxBatchTokens(1024)
        .parallelBatches(2)
        .maxLength(64)
        .truncation(false)
        .sortByLength(false)
        .option(TextClassification.TOP_K, TopK.ALL)
        .option(TextClassification.FUNCTION_TO_APPLY, FunctionToApply.SIGMOID)
        .head(new PipelineConfig.HeadSpec("trained", Map.of("path", "/heads/h")))
        .intraOpThreads(3)
        .interOpThreads(2)
        .backendOption("onnx.optimization_level", "all")
        .build();
  }

  @Test
  void jsonAndYamlFilesDescribeTheSameConfigAsTheBuilder() throws IOException {
    Path json = Files.writeString(dir.resolve("p.json"), """
        {"task": "sentiment-analysis", "model": "/models/m", "backend": "onnx", "format": "onnx", "device": "cuda:1",
         "batch_size": 8, "max_batch_tokens": 1024, "parallel_batches": 2, "max_length": 64, "truncation": false, "sort_by_length": false, "top_k": "all",
         "function_to_apply": "sigmoid", "head": {"type": "trained", "path": "/heads/h"},
         "intra_op_threads": 3, "inter_op_threads": 2, "backend_options": {"onnx.optimization_level": "all"}}
        """);
    Path yaml = Files.writeString(dir.resolve("p.yaml"), """
        task: sentiment-analysis
        model: /models/m
        backend: onnx
        format: onnx
        device: cuda:1
        batch_size: 8
        max_batch_tokens: 1024
        parallel_batches: 2
        max_length: 64
        truncation: false
        sort_by_length: false
        top_k: all
        function_to_apply: sigmoid
        head: {type: trained, path: /heads/h}
        intra_op_threads: 3
        inter_op_threads: 2
        backend_options: {onnx.optimization_level: all}
        """);
    assertEquals(everything(), PipelineConfig.load(json));
    assertEquals(everything(), PipelineConfig.load(yaml));
  }

  @Test
  void everyOptionSurvivesWritingAndReadingBack() {
    PipelineConfig<List<Label>> config = everything();
    for (String file : List.of("round-trip.json", "round-trip.yaml")) {
      Path path = dir.resolve(file);
      CODEC.save(config, path);
      PipelineConfig<?> back = CODEC.load(path);
      assertEquals(config, back, file);
      assertEquals(config.toString(), back.toString(), file);
    }
    PipelineConfig<Tensor> features =
        PipelineConfig.builder(FeatureExtraction.TASK)
            .option(FeatureExtraction.POOLING, Optional.empty())
            .option(FeatureExtraction.NORMALIZE, true)
            .build();
    assertEquals(features, CODEC.read(CODEC.toJson(features)));
    assertEquals(Optional.of(Optional.empty()), CODEC.read(CODEC.toJson(features)).option(FeatureExtraction.POOLING));
  }

  @Test
  void defaultsLeaveModelChoicesOpen() {
    var c = PipelineConfig.builder(FeatureExtraction.TASK).build();
    assertTrue(c.model().isEmpty());
    assertTrue(c.option(FeatureExtraction.POOLING).isEmpty());
    assertTrue(c.option(FeatureExtraction.NORMALIZE).isEmpty());
    assertTrue(c.truncation());
    assertEquals(PipelineConfig.DEFAULT_BATCH_SIZE, c.batchSize());
    assertEquals(Device.CPU, c.loadOptions().device());
    assertEquals(Optional.of(TopK.of(1)), PipelineConfig.builder(TextClassification.TASK).build()
        .option(TextClassification.TOP_K));
  }

  @Test
  void topKNullMeansAllLabels() throws IOException {
    Path json = Files.writeString(dir.resolve("p.json"), "{\"task\": \"text-classification\", \"top_k\": null}");
    assertEquals(Optional.of(TopK.ALL), PipelineConfig.load(json).option(TextClassification.TOP_K));
  }

  @Test
  void optionsAreTypedAndBelongToTheirTask() {
    var builder = PipelineConfig.builder(FeatureExtraction.TASK);
    IllegalArgumentException foreign =
        assertThrows(IllegalArgumentException.class, () -> builder.option(TextClassification.TOP_K, TopK.ALL));
    assertTrue(foreign.getMessage().contains("top_k"), foreign.getMessage());
    IllegalArgumentException unknown =
        assertThrows(IllegalArgumentException.class, () -> builder.option("top_k", IntNode.valueOf(2)));
    assertEquals("task feature-extraction has no option 'top_k'; its options: [pooling, normalize]",
        unknown.getMessage());
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> builder.parseOption("pooling",
        "median"));
    assertTrue(bad.getMessage().startsWith("'pooling' ") && bad.getMessage().contains("mean"), bad.getMessage());
    assertEquals(Optional.of(Optional.of(Pooling.CLS)), builder.parseOption("pooling", "cls").build()
        .option(FeatureExtraction.POOLING));
  }

  @Test
  void aCallMaySetOnlyTheOptionsThatAreNotFixedByThePipeline() {
    TaskOptions call = TaskOptions.parameters(TextClassification.TASK).set("top_k", IntNode.valueOf(2)).build();
    TaskOptions merged = everything().options().with(call);
    assertEquals(Optional.of(TopK.of(2)), merged.get(TextClassification.TOP_K));
    assertEquals(Optional.of(FunctionToApply.SIGMOID), merged.get(TextClassification.FUNCTION_TO_APPLY));
    IllegalArgumentException fixed = assertThrows(IllegalArgumentException.class,
        () -> TaskOptions.parameters(FeatureExtraction.TASK).set("pooling", TextNode.valueOf("cls")));
    assertTrue(fixed.getMessage().contains("fixed when the pipeline is built"), fixed.getMessage());
  }

  @Test
  void badFilesNameTheFileAndTheKey() throws IOException {
    ModelLoadException missing =
        assertThrows(ModelLoadException.class, () -> PipelineConfig.load(dir.resolve("absent.json")));
    assertTrue(missing.getMessage().contains("absent.json"), missing.getMessage());

    Path typo = Files.writeString(dir.resolve("typo.json"), "{\"task\": \"feature-extraction\", \"batchsize\": 4}");
    ModelLoadException unknown = assertThrows(ModelLoadException.class, () -> PipelineConfig.load(typo));
    assertTrue(unknown.getMessage().contains("batchsize") && unknown.getMessage().contains("pooling"),
        unknown.getMessage());

    Path foreign = Files.writeString(dir.resolve("foreign.json"), "{\"task\": \"feature-extraction\", \"top_k\": 2}");
    assertTrue(assertThrows(ModelLoadException.class, () -> PipelineConfig.load(foreign)).getMessage()
        .contains("'top_k'"));

    Path noTask = Files.writeString(dir.resolve("notask.json"), "{\"model\": \"m\"}");
    assertTrue(assertThrows(ModelLoadException.class, () -> PipelineConfig.load(noTask)).getMessage().contains("task"));

    Path badSize = Files.writeString(dir.resolve("bad.json"), "{\"task\": \"feature-extraction\", \"batch_size\": 0}");
    assertTrue(
        assertThrows(ModelLoadException.class, () -> PipelineConfig.load(badSize)).getMessage().contains("batch_size"));

    Path broken = Files.writeString(dir.resolve("broken.json"), "{\"task\": ");
    assertTrue(assertThrows(ModelLoadException.class, () -> PipelineConfig.load(broken)).getMessage()
        .contains("broken.json"));
  }

  @Test
  void unknownTaskListsTheKnownOnes() {
    TaskRegistry tasks = TaskRegistry.fromServiceLoader();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tasks.get("summarization"));
    assertTrue(e.getMessage().contains("sentiment-analysis") && e.getMessage().contains("feature-extraction"));
    assertEquals("text-classification", tasks.get("Sentiment-Analysis").name());
  }

  @Test
  void toBuilderKeepsEverything() {
    PipelineConfig<List<Label>> c = everything();
    assertEquals(c, c.toBuilder().build());
    var features = PipelineConfig.builder(FeatureExtraction.TASK).option(FeatureExtraction.NORMALIZE, false).build();
    assertFalse(features.toBuilder().build().option(FeatureExtraction.NORMALIZE).orElseThrow());
  }
}
