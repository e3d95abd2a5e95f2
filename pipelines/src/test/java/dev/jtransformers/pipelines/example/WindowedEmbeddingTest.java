package dev.jtransformers.pipelines.example;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtransformers.api.EncodeOptions;
import dev.jtransformers.api.Encoding;
import dev.jtransformers.api.Pipeline;
import dev.jtransformers.api.Tensor;
import dev.jtransformers.api.TextInput;
import dev.jtransformers.api.Tokenizer;
import dev.jtransformers.heads.PoolingHead;
import dev.jtransformers.models.Pooling;
import dev.jtransformers.pipelines.AutoModel;
import dev.jtransformers.pipelines.AutoTokenizer;
import dev.jtransformers.pipelines.PipelineConfig;
import dev.jtransformers.pipelines.PipelineConfigCodec;
import dev.jtransformers.pipelines.Pipelines;
import dev.jtransformers.pipelines.TaskRegistry;
import dev.jtransformers.pipelines.tasks.FeatureExtraction;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A task defined only in test sources runs through every assembly path, chunked, on the embedded encoder. */
class WindowedEmbeddingTest {
  private static final String TEXT =
      "the quick brown fox jumps over the lazy dog while the cat watches from the warm windowsill of the old house";

  @Test
  void registeredTaskIsFoundByNameAndReadFromAConfigFile() {
    assertEquals("windowed-embedding", TaskRegistry.fromServiceLoader().get("windowed-embedding").name());
    PipelineConfig<?> read =
        PipelineConfigCodec.fromServiceLoader()
            .read(PipelineConfigCodec.toJson(config().toBuilder().option(WindowedEmbedding.STRIDE, 2).build()));
    assertEquals(2, read.option(WindowedEmbedding.STRIDE).orElseThrow());
  }

  @Test
  void eachInputIsTheMeanOfItsWindowsBatchedWithOtherInputs() {
    List<TextInput> inputs = List.of(TextInput.of(TEXT), TextInput.of("short"), TextInput.of(TEXT + " " + TEXT));
    try (Pipeline<Tensor> pipeline = Pipelines.create(config())) {
      List<Tensor> batched = pipeline.applyAll(inputs);
      for (int i = 0; i < inputs.size(); i++) {
        float[] expected = windowMean(inputs.get(i));
        assertArrayEquals(expected, batched.get(i).toFloatArray(), 1e-5f, "input " + i);
        assertArrayEquals(batched.get(i).toFloatArray(), pipeline.apply(inputs.get(i)).toFloatArray(), 1e-5f);
      }
      assertEquals(384, batched.get(0).size());
    }
  }

  private static PipelineConfig<Tensor> config() {
    return PipelineConfig.builder(WindowedEmbedding.TASK).model(FeatureExtraction.DEFAULT_MODEL).batchSize(4).build();
  }

  /** The same windows run one by one through the step-by-step API, pooled and averaged by hand. */
  private static float[] windowMean(TextInput input) {
    Tokenizer tokenizer = AutoTokenizer.fromPretrained(FeatureExtraction.DEFAULT_MODEL);
    Encoding first =
        tokenizer.encode(input, EncodeOptions.builder().truncation(EncodeOptions.Truncation.LONGEST_FIRST)
            .maxLength(16).stride(4).build());
    List<Encoding> windows = new ArrayList<>(List.of(first));
    windows.addAll(first.overflowing());
    assertTrue(input.text().length() < 10 || windows.size() > 1, "long inputs make several windows");
    float[] mean = new float[384];
    try (AutoModel model = AutoModel.fromPretrained(FeatureExtraction.DEFAULT_MODEL)) {
      for (Encoding window : windows) {
        var batch = tokenizer.pad(List.of(window), EncodeOptions.DEFAULT);
        float[] pooled = new PoolingHead(Pooling.MEAN, false).apply(model.forward(batch), batch).toFloatArray();
        for (int i = 0; i < mean.length; i++) {
          mean[i] += pooled[i] / windows.size();
        }
      }
    }
    return mean;
  }
}
