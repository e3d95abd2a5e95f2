package dev.jtransformers.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtransformers.api.InvalidInputException;
import dev.jtransformers.api.Label;
import dev.jtransformers.api.TextInput;
import dev.jtransformers.pipelines.tasks.TextClassification;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Text nobody cleaned, through the Java API of a pipeline: a result or a typed error naming the argument. */
class HostileInputTest {
  private static TaskPipeline<List<Label>> pipeline;
  private static TaskPipeline<List<Label>> untruncated;

  @BeforeAll
  static void load() {
    String model = SharedFixtures.require("models/tiny-random-bert").toString();
    pipeline = Pipelines.create(PipelineConfig.builder(TextClassification.TASK).model(model).backend("onnx").build());
    untruncated = Pipelines.create(
        PipelineConfig.builder(TextClassification.TASK).model(model).backend("onnx").truncation(false).build());
  }

  @AfterAll
  static void close() {
    if (pipeline != null) {
      pipeline.close();
      untruncated.close();
    }
  }

  @Test
  void nullIsRefusedByTheArgumentsName() {
    assertEquals("input", assertThrows(NullPointerException.class, () -> pipeline.apply((TextInput) null)).getMessage());
    assertEquals("text", assertThrows(NullPointerException.class, () -> pipeline.apply((String) null)).getMessage());
    assertEquals("inputs", assertThrows(NullPointerException.class, () -> pipeline.applyAll(null)).getMessage());
    assertEquals("inputs[1]", assertThrows(NullPointerException.class,
        () -> pipeline.applyAll(Arrays.asList(TextInput.of("a"), null))).getMessage());
  }

  @Test
  void emptyWhitespaceControlAndSoupTextsAllGetResults() {
    List<TextInput> texts = List.of(TextInput.of(""), TextInput.of(" \t\n"), TextInput.of("\u0000\u0007"),
        TextInput.of("\ud800 lone"), TextInput.of("\u202e\u05e9\u05dc\u05d5\u05dd Z\u0351\u036b\u0343"),
        TextInput.pair("", ""));
    List<List<Label>> results = pipeline.applyAll(texts);
    assertEquals(texts.size(), results.size());
    List<Label> clsSep = results.get(0);
    assertEquals(clsSep, results.get(1), "whitespace alone is [CLS] [SEP], as the empty text");
    assertEquals(clsSep, results.get(2), "control characters alone are [CLS] [SEP]");
    assertEquals(clsSep, pipeline.apply(TextInput.of("")), "the batch gives what one call does");
  }

  @Test
  void aMegabyteTextIsTruncatedOrRefusedWithTruncationOff() {
    TextInput megabyte = TextInput.of("this film is great ".repeat((1 << 20) / 19 + 1));
    List<Label> truncated = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> pipeline.apply(megabyte));
    assertEquals(1, truncated.size());
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> untruncated.apply(megabyte));
    assertTrue(e.getMessage().contains("but the model takes at most 512; enable truncation"), e.getMessage());
  }
}
