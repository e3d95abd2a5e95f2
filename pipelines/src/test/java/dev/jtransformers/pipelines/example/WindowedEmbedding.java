package dev.jtransformers.pipelines.example;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.jtransformers.api.EncodeOptions;
import dev.jtransformers.api.Encoding;
import dev.jtransformers.api.Tensor;
import dev.jtransformers.api.TextInput;
import dev.jtransformers.heads.PoolingHeadFactory;
import dev.jtransformers.pipelines.spi.Chunk;
import dev.jtransformers.pipelines.spi.Task;
import dev.jtransformers.pipelines.spi.TaskContext;
import dev.jtransformers.pipelines.spi.TaskOption;
import dev.jtransformers.pipelines.spi.TaskOptions;
import dev.jtransformers.pipelines.spi.TaskProcessor;
import dev.jtransformers.spi.Head;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A task that lives only in this test source set and is registered by one line in its {@code META-INF/services}:
 * long texts are cut into overlapping windows ({@code window} tokens, {@code stride} shared), each window is
 * mean-pooled, and the input's vector is the mean of its windows'. It shows that a new task, chunked at that, needs
 * no edit outside its own file.
 */
public final class WindowedEmbedding implements Task<Tensor> {
  public static final WindowedEmbedding TASK = new WindowedEmbedding();

  public static final TaskOption<Integer> WINDOW =
      TaskOption.positiveInteger("window", "Tokens per window.", 16).fixedPerPipeline();
  public static final TaskOption<Integer> STRIDE =
      TaskOption.positiveInteger("stride", "Tokens two windows share.", 4).fixedPerPipeline();

  @Override
  public String name() {
    return "windowed-embedding";
  }

  @Override
  public List<TaskOption<?>> options() {
    return List.of(WINDOW, STRIDE);
  }

  @Override
  public TaskProcessor<Tensor> processor(TaskContext context) {
    EncodeOptions windows =
        EncodeOptions.builder()
            .truncation(EncodeOptions.Truncation.LONGEST_FIRST)
            .maxLength(context.option(WINDOW).orElseThrow())
            .stride(context.option(STRIDE).orElseThrow())
            .build();
    Head head = context.head(PoolingHeadFactory.NAME, Map.of("pooling", "mean"));
    return new TaskProcessor<>() {
      @Override
      public List<Encoding> preprocess(TextInput input, TaskOptions options) {
        Encoding first = context.tokenizer().encode(input, windows);
        List<Encoding> chunks = new ArrayList<>();
        chunks.add(first);
        chunks.addAll(first.overflowing());
        return chunks;
      }

      @Override
      public Head head() {
        return head;
      }

      @Override
      public Tensor postprocess(TextInput input, List<Chunk> chunks, TaskOptions options) {
        float[] mean = new float[chunks.get(0).output().size()];
        for (Chunk chunk : chunks) {
          float[] vector = chunk.output().toFloatArray();
          for (int i = 0; i < mean.length; i++) {
            mean[i] += vector[i] / chunks.size();
          }
        }
        return Tensor.wrap(mean, mean.length);
      }
    };
  }

  @Override
  public JsonNode toJson(Tensor result) {
    ArrayNode vector = JsonNodeFactory.instance.arrayNode();
    for (float v : result.toFloatArray()) {
      vector.add(v);
    }
    return vector;
  }
}
