package dev.jtransformers.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.google.inject.Guice;
import com.google.inject.Key;
import com.google.inject.name.Names;
import dev.jtransformers.api.BatchEncoding;
import dev.jtransformers.api.EncodeOptions;
import dev.jtransformers.api.InvalidInputException;
import dev.jtransformers.api.ModelLoadException;
import dev.jtransformers.api.Pipeline;
import dev.jtransformers.api.Tensor;
import dev.jtransformers.api.TextInput;
import dev.jtransformers.pipelines.spi.TaskOptions;
import dev.jtransformers.pipelines.spi.TaskRequest;
import dev.jtransformers.pipelines.tasks.AggregationStrategy;
import dev.jtransformers.pipelines.tasks.Entity;
import dev.jtransformers.pipelines.tasks.FillMask;
import dev.jtransformers.pipelines.tasks.MaskPrediction;
import dev.jtransformers.pipelines.tasks.TokenClassification;
import dev.jtransformers.tokenizer.ComposedTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the Python references don't show of token-classification and fill-mask: windows over long texts, errors
 * for models and inputs that don't fit, assembly from a config file and Guice, and the {@code Auto*} classes.
 */
class TokenAndMaskTasksTest {
  private static final String LONG =
      "A man is playing the guitar on the street while a woman is singing and two children are dancing near the"
          + " old fountain in the park.";

  @TempDir Path dir;

  @Test
  void strideCoversALongTextWithNonOverlappingEntities() {
    Path model = SharedFixtures.require("models/tiny-random-bert-ner");
    var config = PipelineConfig.builder(TokenClassification.TASK).model(model.toString()).backend("onnx")
        .maxLength(12).option(TokenClassification.IGNORE_LABELS, List.of())
        .option(TokenClassification.AGGREGATION_STRATEGY, AggregationStrategy.FIRST).build();
    try (TaskPipeline<List<Entity>> pipeline = Pipelines.create(config)) {
      List<Entity> truncated = pipeline.apply(TextInput.of(LONG));
      TaskOptions windows = TaskOptions.parameters(TokenClassification.TASK).set("stride", IntNode.valueOf(3)).build();
      List<Entity> whole = pipeline.process(List.of(new TaskRequest(TextInput.of(LONG), windows))).get(0);

      assertTrue(truncated.get(truncated.size() - 1).end() < 60, "without stride the text is cut at 12 tokens");
      assertEquals(LONG.length(), whole.get(whole.size() - 1).end(), "with stride every window is labelled");
      for (int i = 1; i < whole.size(); i++) {
        assertTrue(whole.get(i - 1).end() <= whole.get(i).start(), "entities of overlapping windows are merged: "
            + whole);
      }
      for (Entity entity : whole) {
        assertEquals(LONG.substring(entity.start(), entity.end()).toLowerCase(), entity.word(), "offsets index the"
            + " input text");
      }
    }
  }

  @Test
  void strideNeedsAnAggregationStrategyAndRoomInTheWindow() {
    Path model = SharedFixtures.require("models/tiny-random-bert-ner");
    var config = PipelineConfig.builder(TokenClassification.TASK).model(model.toString()).maxLength(12).build();
    try (TaskPipeline<List<Entity>> pipeline = Pipelines.create(config)) {
      TaskOptions none = TaskOptions.parameters(TokenClassification.TASK).set("stride", IntNode.valueOf(2)).build();
      assertTrue(assertThrows(InvalidInputException.class, () -> pipeline.process(
          List.of(new TaskRequest(TextInput.of(LONG), none)))).getMessage().contains("aggregation_strategy"));
      TaskOptions wide = TaskOptions.parameters(TokenClassification.TASK).set("stride", IntNode.valueOf(12))
          .set("aggregation_strategy", TextNode.valueOf("simple")).build();
      assertTrue(assertThrows(InvalidInputException.class, () -> pipeline.process(
          List.of(new TaskRequest(TextInput.of(LONG), wide)))).getMessage().contains("less than"));
    }
  }

  @Test
  void aModelWithAnotherHeadIsAnErrorNamingItsArchitecture() {
    Path classifier = SharedFixtures.require("models/tiny-random-bert");
    Path ner = SharedFixtures.require("models/tiny-random-bert-ner");
    String tokens = assertThrows(ModelLoadException.class, () -> Pipelines.create(
        PipelineConfig.builder(TokenClassification.TASK).model(classifier.toString()).build())).getMessage();
    assertTrue(tokens.contains("BertForSequenceClassification") && tokens.contains("ForTokenClassification"), tokens);
    String masks = assertThrows(ModelLoadException.class, () -> Pipelines.create(
        PipelineConfig.builder(FillMask.TASK).model(ner.toString()).build())).getMessage();
    assertTrue(masks.contains("BertForTokenClassification") && masks.contains("ForMaskedLM"), masks);
    String auto = assertThrows(ModelLoadException.class,
        () -> AutoModelForMaskedLM.fromPretrained(classifier.toString())).getMessage();
    assertTrue(auto.contains("AutoModelForMaskedLM") && auto.contains("BertForSequenceClassification"), auto);
  }

  @Test
  void tasksWithoutADefaultModelSayHowToGiveOne() {
    String message = assertThrows(IllegalArgumentException.class,
        () -> Pipelines.create(PipelineConfig.builder(FillMask.TASK).build())).getMessage();
    assertTrue(message.contains("fill-mask has no default model") && message.contains("--model"), message);
  }

  @Test
  void aTextWithoutAMaskIsAnErrorForThatInput() {
    Path model = SharedFixtures.require("models/tiny-random-distilbert-mlm");
    try (Pipeline<List<List<MaskPrediction>>> fill =
        Pipelines.create(PipelineConfig.builder(FillMask.TASK).model(model.toString()).build())) {
      String message = assertThrows(InvalidInputException.class,
          () -> fill.applyAll(List.of(TextInput.of("A [MASK] here."), TextInput.of("No mask here.")))).getMessage();
      assertTrue(message.startsWith("input 1 ") && message.contains("[MASK]"), message);
    }
  }

  @Test
  void configFileAndGuiceAssembleBothTasks() throws IOException {
    Path ner = SharedFixtures.require("models/tiny-random-distilbert-ner");
    Path mlm = SharedFixtures.require("models/tiny-random-distilbert-mlm");
    Path nerFile = Files.writeString(dir.resolve("ner.yaml"),
        "task: ner\nmodel: " + ner + "\nbackend: onnx\naggregation_strategy: simple\nignore_labels: [O, MISC]\n");
    Path mlmFile = Files.writeString(dir.resolve("fill.json"),
        "{\"task\": \"fill-mask\", \"model\": \"" + mlm + "\", \"top_k\": 2, \"targets\": [\"man\", \"woman\"]}");
    var expectedNer = PipelineConfig.builder(TokenClassification.TASK).model(ner.toString()).backend("onnx")
        .option(TokenClassification.AGGREGATION_STRATEGY, AggregationStrategy.SIMPLE)
        .option(TokenClassification.IGNORE_LABELS, List.of("O", "MISC")).build();
    var expectedMlm = PipelineConfig.builder(FillMask.TASK).model(mlm.toString())
        .option(FillMask.TOP_K, 2).option(FillMask.TARGETS, List.of("man", "woman")).build();
    assertEquals(expectedNer, PipelineConfig.load(nerFile));
    assertEquals(expectedMlm, PipelineConfig.load(mlmFile));

    TextInput text = TextInput.of("A man is playing a guitar.");
    TextInput masked = TextInput.of("A [MASK] is playing a guitar.");
    var injector = Guice.createInjector(new PipelineModule()
        .withPipeline("ner", PipelineConfig.load(nerFile)).withPipeline("fill", PipelineConfig.load(mlmFile)));
    try (Pipeline<?> fromGuice = injector.getInstance(Key.get(Pipeline.class, Names.named("ner")));
        Pipeline<List<Entity>> fromJava = Pipelines.create(expectedNer)) {
      List<Entity> entities = fromJava.apply(text);
      assertEquals(entities, fromGuice.apply(text));
      assertTrue(entities.stream().allMatch(e -> e.isGroup() && !e.label().equals("MISC")), entities.toString());
    }
    try (Pipeline<?> fromGuice = injector.getInstance(Key.get(Pipeline.class, Names.named("fill")));
        Pipeline<List<List<MaskPrediction>>> fromJava = Pipelines.create(expectedMlm)) {
      List<List<MaskPrediction>> predictions = fromJava.apply(masked);
      assertEquals(predictions, fromGuice.apply(masked));
      assertEquals(2, predictions.get(0).size());
    }
  }

  @Test
  void autoClassesGiveTokenLevelLogits() {
    Path ner = SharedFixtures.require("models/tiny-random-bert-ner");
    Path mlm = SharedFixtures.require("models/tiny-random-bert-mlm");
    ComposedTokenizer tokenizer = AutoTokenizer.fromPretrained(ner.toString());
    BatchEncoding batch = tokenizer.encodeBatch(List.of(TextInput.of("A man is playing."), TextInput.of("Hi")),
        EncodeOptions.builder().padding(EncodeOptions.Padding.LONGEST).build());
    try (var classifier = AutoModelForTokenClassification.fromPretrained(ner.toString());
        var masked = AutoModelForMaskedLM.fromPretrained(mlm.toString())) {
      Tensor labels = classifier.forward(batch);
      assertEquals(List.of(2, batch.sequenceLength(), 9), List.of(labels.dim(0), labels.dim(1), labels.dim(2)));
      assertEquals("B-PER", classifier.id2label().get(1));
      Tensor vocab = masked.forward(batch);
      assertEquals(List.of(2, batch.sequenceLength(), 4000), List.of(vocab.dim(0), vocab.dim(1), vocab.dim(2)));
    }
  }
}
