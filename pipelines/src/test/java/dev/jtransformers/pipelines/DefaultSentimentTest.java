package dev.jtransformers.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtransformers.api.Label;
import dev.jtransformers.api.Pipeline;
import dev.jtransformers.api.TextInput;
import dev.jtransformers.pipelines.tasks.FeatureExtraction;
import dev.jtransformers.pipelines.tasks.TextClassification;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code pipeline("sentiment-analysis")} with no model: the embedded encoder with the embedded SST-2 adapter merged
 * in, no ../shared.
 */
class DefaultSentimentTest {
  private static final List<TextInput> COURSE =
      List.of(
          TextInput.of("I've been waiting for a HuggingFace course my whole life."),
          TextInput.of("I hate this so much!"));

  @Test
  void theCourseSentencesArePositiveThenNegative() {
    try (Pipeline<?> sentiment = Pipelines.pipeline("sentiment-analysis")) {
      List<?> results = sentiment.applyAll(COURSE);
      Label first = (Label) ((List<?>) results.get(0)).get(0);
      Label second = (Label) ((List<?>) results.get(1)).get(0);
      assertEquals("POSITIVE", first.label());
      assertEquals("NEGATIVE", second.label());
      assertTrue(first.score() > 0.5 && second.score() > 0.5);
    }
  }

  @Test
  void theAdapterReplacesTheWeightsOfTheCachedFusedGraphAsOfTheFile() {
    List<TextInput> texts = List.of(COURSE.get(0), COURSE.get(1), TextInput.of("a gorgeous , witty , seductive movie ."),
        TextInput.of("the plot is nothing but boilerplate clichés from start to finish ,"));
    try (Pipeline<List<Label>> cached = Pipelines.create(PipelineConfig.builder(TextClassification.TASK).build());
        Pipeline<List<Label>> file = Pipelines.create(PipelineConfig.builder(TextClassification.TASK)
            .backendOption("onnx.cache_optimized_graph", "false").build())) {
      List<List<Label>> fused = cached.applyAll(texts);
      List<List<Label>> plain = file.applyAll(texts);
      for (int i = 0; i < texts.size(); i++) {
        assertEquals(plain.get(i).get(0).label(), fused.get(i).get(0).label(), texts.get(i).toString());
        assertEquals(plain.get(i).get(0).score(), fused.get(i).get(0).score(), 1e-5, texts.get(i).toString());
      }
    }
  }

  @Test
  void aHeadNamedWithoutAModelReadsThePlainEncoderNotTheAdaptedOne() {
    PipelineConfig.HeadSpec head =
        new PipelineConfig.HeadSpec("trained", Map.of("path", TextClassification.DEFAULT_HEAD));
    try (Pipeline<List<Label>> defaulted =
            Pipelines.create(PipelineConfig.builder(TextClassification.TASK).head(head).build());
        Pipeline<List<Label>> explicit =
            Pipelines.create(
                PipelineConfig.builder(TextClassification.TASK)
                    .model(FeatureExtraction.DEFAULT_MODEL)
                    .head(head)
                    .build())) {
      assertEquals(explicit.applyAll(COURSE), defaulted.applyAll(COURSE));
    }
  }
}
