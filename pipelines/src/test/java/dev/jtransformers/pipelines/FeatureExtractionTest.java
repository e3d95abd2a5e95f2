package dev.jtransformers.pipelines;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jtransformers.api.InvalidInputException;
import dev.jtransformers.api.Pipeline;
import dev.jtransformers.api.Tensor;
import dev.jtransformers.api.TextInput;
import dev.jtransformers.pipelines.tasks.FeatureExtraction;
import dev.jtransformers.pipelines.tasks.TextClassification;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The default feature-extraction pipeline: the embedded all-MiniLM-L6-v2, as sentence-transformers runs it. */
class FeatureExtractionTest {
  private static Pipeline<Tensor> pipeline;

  @BeforeAll
  static void load() {
    pipeline = Pipelines.create(PipelineConfig.builder(FeatureExtraction.TASK).build());
  }

  @AfterAll
  static void close() {
    pipeline.close();
  }

  @Test
  void defaultsAreSentenceTransformersEmbeddings() {
    Tensor e = pipeline.apply("I love this");
    assertArrayEquals(new int[] {384}, e.shape());
    double norm = 0;
    for (float v : e.toFloatArray()) {
      norm += v * v;
    }
    assertEquals(1.0, Math.sqrt(norm), 1e-5, "normalised, as the model's Normalize module says");
  }

  @Test
  void reproducesSentenceTransformersEmbeddings() {
    List<JsonNode> rows = SharedFixtures.jsonLines(SharedFixtures.require("reference/minilm.embeddings.jsonl"));
    List<TextInput> texts = new ArrayList<>();
    rows.forEach(r -> texts.add(TextInput.of(r.get("text").asText())));
    List<Tensor> embeddings = pipeline.applyAll(texts);
    for (int i = 0; i < rows.size(); i++) {
      double cosine = cosine(SharedFixtures.floats(rows.get(i).get("embedding")), embeddings.get(i).toFloatArray());
      assertTrue(cosine >= 0.99999, "line " + i + " (" + texts.get(i).text() + "): cosine " + cosine);
    }
  }

  @Test
  void batchSizeAndSortingDoNotChangeResults() {
    List<TextInput> texts = new ArrayList<>();
    for (int i = 0; i < 70; i++) {
      texts.add(TextInput.of("sentence " + i + " " + "with more words ".repeat(i % 9)));
    }
    List<Tensor> reference = pipeline.applyAll(texts);
    var base = PipelineConfig.builder(FeatureExtraction.TASK).build();
    for (PipelineConfig config :
        List.of(
            base.toBuilder().batchSize(1).build(),
            base.toBuilder().batchSize(8).build(),
            base.toBuilder().batchSize(64).sortByLength(false).build(),
            base.toBuilder().maxBatchTokens(40).build(),
            base.toBuilder().maxBatchTokens(40).sortByLength(false).build(),
            base.toBuilder().parallelBatches(1).build(),
            base.toBuilder().batchSize(4).intraOpThreads(3).build(), // three calls at once on three shared threads
            base.toBuilder().batchSize(4).parallelBatches(3).build(),
            base.toBuilder().maxBatchTokens(40).parallelBatches(2).build())) {
      try (Pipeline<Tensor> other = Pipelines.create(config)) {
        List<Tensor> results = other.applyAll(texts);
        for (int i = 0; i < texts.size(); i++) {
          assertArrayEquals(reference.get(i).toFloatArray(), results.get(i).toFloatArray(), 1e-5f, config + " #" + i);
        }
      }
    }
  }

  @Test
  void aCallOfSeveralWavesGivesWhatItsWavesGiveAlone() {
    List<TextInput> texts = new ArrayList<>();
    for (int i = 0; i < ChunkPipeline.WAVE_INPUTS + 40; i++) {
      texts.add(TextInput.of("wave sentence " + i + " " + "and words ".repeat(i % 5)));
    }
    List<Tensor> together = pipeline.applyAll(texts); // tokenises the second wave while the first runs
    List<Tensor> apart = new ArrayList<>(pipeline.applyAll(texts.subList(0, ChunkPipeline.WAVE_INPUTS)));
    apart.addAll(pipeline.applyAll(texts.subList(ChunkPipeline.WAVE_INPUTS, texts.size())));
    for (int i = 0; i < texts.size(); i++) {
      assertArrayEquals(apart.get(i).toFloatArray(), together.get(i).toFloatArray(), 1e-5f, "#" + i);
    }
  }

  @Test
  void anInvalidInputInALaterWaveIsNamedByItsIndexInTheCall() {
    var strict = PipelineConfig.builder(FeatureExtraction.TASK).truncation(false).build();
    List<TextInput> texts = new ArrayList<>();
    for (int i = 0; i < ChunkPipeline.WAVE_INPUTS + 10; i++) {
      texts.add(TextInput.of(i == ChunkPipeline.WAVE_INPUTS + 3 ? "word ".repeat(300) : "short " + i));
    }
    try (Pipeline<Tensor> p = Pipelines.create(strict)) {
      InvalidInputException e = assertThrows(InvalidInputException.class, () -> p.applyAll(texts));
      assertTrue(e.getMessage().startsWith("input " + (ChunkPipeline.WAVE_INPUTS + 3) + " "), e.getMessage());
    }
  }

  @Test
  void overLongInputWithoutTruncationNamesTheLengths() {
    var strict = PipelineConfig.builder(FeatureExtraction.TASK).truncation(false).build();
    try (Pipeline<Tensor> p = Pipelines.create(strict)) {
      InvalidInputException e =
          assertThrows(InvalidInputException.class, () -> p.apply("word ".repeat(300)));
      assertTrue(e.getMessage().contains("302") && e.getMessage().contains("256"), e.getMessage());
    }
    Tensor truncated = pipeline.apply("word ".repeat(300));
    assertArrayEquals(new int[] {384}, truncated.shape());
  }

  @Test
  void aClosedPipelineSaysSo() {
    Pipeline<Tensor> closed = Pipelines.create(PipelineConfig.builder(FeatureExtraction.TASK).build());
    closed.close();
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> closed.apply("I love this"));
    assertTrue(e.getMessage().contains("closed"), e.getMessage());
  }

  @Test
  void nullInputIsNamed() {
    NullPointerException e =
        assertThrows(NullPointerException.class, () -> pipeline.applyAll(java.util.Arrays.asList(TextInput.of("a"), null)));
    assertTrue(e.getMessage().contains("inputs[1]"), e.getMessage());
  }

  static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
      na += a[i] * a[i];
      nb += b[i] * b[i];
    }
    return dot / Math.sqrt(na * nb);
  }

  @Test
  void aClassificationHeadIsNoEmbedding() {
    var config =
        PipelineConfig.builder(FeatureExtraction.TASK)
            .head(new PipelineConfig.HeadSpec("trained", Map.of("path", TextClassification.DEFAULT_HEAD)))
            .build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Pipelines.create(config));
    assertTrue(e.getMessage().contains("classification head (labels [NEGATIVE, POSITIVE])"), e.getMessage());
  }
}
