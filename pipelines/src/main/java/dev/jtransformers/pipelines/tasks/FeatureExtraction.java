package dev.jtransformers.pipelines.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.jtransformers.api.Encoding;
import dev.jtransformers.api.ModelLoadException;
import dev.jtransformers.api.Tensor;
import dev.jtransformers.heads.HiddenStatesHeadFactory;
import dev.jtransformers.heads.PoolingHead;
import dev.jtransformers.heads.PoolingHeadFactory;
import dev.jtransformers.models.Pooling;
import dev.jtransformers.models.SentenceTransformersConfig;
import dev.jtransformers.pipelines.spi.DefaultModel;
import dev.jtransformers.pipelines.spi.Task;
import dev.jtransformers.pipelines.spi.TaskContext;
import dev.jtransformers.pipelines.spi.TaskOption;
import dev.jtransformers.pipelines.spi.TaskProcessor;
import dev.jtransformers.spi.Head;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code feature-extraction}: one sentence vector per input, pooled and normalised as the model's
 * sentence-transformers configuration says, or the token states {@code [tokens, hidden]} without padding when
 * pooling is {@code none}. With no model, the embedded all-MiniLM-L6-v2. Its options choose the head, so they are
 * fixed when the pipeline is built.
 */
public final class FeatureExtraction implements Task<Tensor> {
  /** The task, for {@code PipelineConfig.builder(FeatureExtraction.TASK)}. */
  public static final FeatureExtraction TASK = new FeatureExtraction();

  /** The encoder every task runs on when no model is given. */
  public static final String DEFAULT_MODEL = "sentence-transformers/all-MiniLM-L6-v2";

  private static final String NO_POOLING = "none";

  /**
   * How token states become one vector: {@code mean}, {@code cls}, {@code max}, or {@code none} (empty) for the token
   * states themselves; by default the model's sentence-transformers pooling, else none.
   */
  public static final TaskOption<Optional<Pooling>> POOLING =
      TaskOption.of("pooling", "mean, cls, max or none (token-level); default: the model's sentence-transformers"
          + " pooling.", FeatureExtraction::readPooling, FeatureExtraction::writePooling, null).fixedPerPipeline();

  /** L2 normalisation of pooled vectors; by default as the model's sentence-transformers configuration says. */
  public static final TaskOption<Boolean> NORMALIZE =
      TaskOption.flag("normalize", "L2-normalise pooled vectors; default: as the model's sentence-transformers"
          + " configuration says.", null).fixedPerPipeline();

  @Override
  public String name() {
    return "feature-extraction";
  }

  @Override
  public List<TaskOption<?>> options() {
    return List.of(POOLING, NORMALIZE);
  }

  @Override
  public Optional<DefaultModel> defaultModel() {
    return Optional.of(DefaultModel.of(DEFAULT_MODEL));
  }

  @Override
  public TaskProcessor<Tensor> processor(TaskContext context) {
    Head head = context.configuredHead().orElseGet(() -> poolingHead(context));
    if (!head.labels().isEmpty()) {
      // A trained classifier's logits are no embedding; say so rather than print them as one.
      throw new IllegalArgumentException("the head is a classification head (labels " + head.labels()
          + "): feature-extraction returns vectors; run it with text-classification instead");
    }
    return TaskProcessor.singleChunk(context, head, (chunk, options) -> features(chunk.output(), chunk.encoding()));
  }

  private static Head poolingHead(TaskContext context) {
    Optional<SentenceTransformersConfig> sentence = context.sentenceConfig();
    Optional<Pooling> pooling =
        context.option(POOLING)
            .orElseGet(() -> sentence.flatMap(SentenceTransformersConfig::pooling).map(FeatureExtraction::singleMode));
    if (pooling.isEmpty()) {
      return context.head(HiddenStatesHeadFactory.NAME, Map.of());
    }
    boolean normalize =
        context.option(NORMALIZE).orElseGet(() -> sentence.map(SentenceTransformersConfig::normalize).orElse(false));
    return context.head(PoolingHeadFactory.NAME,
        Map.of("pooling", pooling.get().configName(), "normalize", Boolean.toString(normalize)));
  }

  /** The one pooling mode of a sentence-transformers model, if this project computes it. */
  private static Pooling singleMode(SentenceTransformersConfig.PoolingStage stage) {
    if (stage.modes().size() != 1 || !PoolingHead.SUPPORTED.containsAll(stage.modes())) {
      throw new ModelLoadException("sentence-transformers pooling " + stage.modes() + " is not supported; only one"
          + " of " + PoolingHead.SUPPORTED + ": set the pipeline's pooling explicitly");
    }
    return stage.modes().iterator().next();
  }

  /**
   * A pooled vector {@code [hidden]} as it is; token states {@code [sequence, hidden]} with the padding removed, so
   * results do not depend on what an input was batched with.
   */
  private static Tensor features(Tensor output, Encoding encoding) {
    if (output.rank() == 1) {
      return output;
    }
    if (output.rank() != 2 || output.dim(0) != encoding.length()) {
      throw new IllegalArgumentException(
          "feature head must return [hidden] or [sequence=" + encoding.length() + ", hidden] per input, got " + output);
    }
    int[] mask = encoding.attentionMask();
    int hidden = output.dim(1);
    float[] all = output.toFloatArray();
    int tokens = 0;
    for (int m : mask) {
      tokens += m;
    }
    float[] kept = new float[tokens * hidden];
    int row = 0;
    for (int s = 0; s < mask.length; s++) {
      if (mask[s] != 0) {
        System.arraycopy(all, s * hidden, kept, row++ * hidden, hidden);
      }
    }
    return Tensor.wrap(kept, tokens, hidden);
  }

  private static Optional<Pooling> readPooling(JsonNode node) {
    return NO_POOLING.equals(node.asText()) ? Optional.empty() : Optional.of(Pooling.fromConfigName(node.asText()));
  }

  private static JsonNode writePooling(Optional<Pooling> pooling) {
    return TextNode.valueOf(pooling.map(Pooling::configName).orElse(NO_POOLING));
  }

  /** {@code {"embedding": […]}} for a pooled vector, {@code {"hidden_states": [[…], …]}} for token states. */
  @Override
  public JsonNode toJson(Tensor result) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    if (result.rank() == 1) {
      addFloats(node.putArray("embedding"), result.toFloatArray());
    } else {
      ArrayNode rows = node.putArray("hidden_states");
      for (float[] row : result.toFloatArray2D()) {
        addFloats(rows.addArray(), row);
      }
    }
    return node;
  }

  private static void addFloats(ArrayNode array, float[] values) {
    for (float v : values) {
      array.add(v);
    }
  }
}
