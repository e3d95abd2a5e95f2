package dev.jtransformers.pipelines.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.jtransformers.api.Label;
import dev.jtransformers.api.Tensor;
import dev.jtransformers.pipelines.spi.DefaultModel;
import dev.jtransformers.pipelines.spi.Task;
import dev.jtransformers.pipelines.spi.TaskContext;
import dev.jtransformers.pipelines.spi.TaskOption;
import dev.jtransformers.pipelines.spi.TaskProcessor;
import dev.jtransformers.spi.Head;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * {@code text-classification} (alias {@code sentiment-analysis}): scored labels per text or pair, best first, as
 * Python's {@code TextClassificationPipeline}. The head is the one configured, else the model's own classifier; with
 * no model, the embedded all-MiniLM-L6-v2 with this project's SST-2 LoRA adapter merged in (NEGATIVE/POSITIVE).
 */
public final class TextClassification implements Task<List<Label>> {
  /** The task, for {@code PipelineConfig.builder(TextClassification.TASK)}. */
  public static final TextClassification TASK = new TextClassification();

  /** A head for the default encoder: NEGATIVE/POSITIVE, trained on its frozen SST-2 vectors by {@code train-head}. */
  public static final String DEFAULT_HEAD = "jtransformers/all-MiniLM-L6-v2-sst2-head";

  /**
   * The adapter merged into the default encoder, the default sentiment model: NEGATIVE/POSITIVE, fine-tuned on SST-2
   * by {@code fine-tune} (LoRA).
   */
  public static final String DEFAULT_ADAPTER = "jtransformers/all-MiniLM-L6-v2-sst2-lora";

  /** Python's {@code top_k}: labels per input, best first (default 1). */
  public static final TaskOption<TopK> TOP_K =
      TaskOption.of("top_k", "Labels per input, best first: a number, or all.", TopK::fromJson, TopK::toJson,
          TopK.of(1));

  /** Python's {@code function_to_apply}; by default the model's {@code problem_type} decides. */
  public static final TaskOption<FunctionToApply> FUNCTION_TO_APPLY =
      TaskOption.choice("function_to_apply", "softmax, sigmoid or none; default: as the model's problem_type says.",
          FunctionToApply.class, null);

  @Override
  public String name() {
    return "text-classification";
  }

  @Override
  public List<String> aliases() {
    return List.of("sentiment-analysis");
  }

  @Override
  public List<TaskOption<?>> options() {
    return List.of(TOP_K, FUNCTION_TO_APPLY);
  }

  @Override
  public Optional<DefaultModel> defaultModel() {
    return Optional.of(
        new DefaultModel(FeatureExtraction.DEFAULT_MODEL, Optional.empty(), Optional.of(DEFAULT_ADAPTER)));
  }

  @Override
  public TaskProcessor<List<Label>> processor(TaskContext context) {
    Head head = context.configuredHead().orElseGet(context::classificationHead);
    List<String> labels = context.labels(head);
    FunctionToApply modelDefault =
        FunctionToApply.defaultFor(context.config().problemType().orElse(null), labels.size());
    return TaskProcessor.singleChunk(context, head, (chunk, options) -> ranked(chunk.output(),
        options.get(FUNCTION_TO_APPLY).orElse(modelDefault), options.get(TOP_K).orElseThrow(), labels));
  }

  static List<Label> ranked(Tensor logits, FunctionToApply function, TopK topK, List<String> labels) {
    if (logits.rank() != 1 || logits.dim(0) != labels.size()) {
      throw new IllegalArgumentException("classification head returns " + logits + " per input but the model names "
          + labels.size() + " labels " + labels);
    }
    double[] scores = function.apply(logits.toFloatArray());
    List<Label> ranked = new ArrayList<>(scores.length);
    for (int i = 0; i < scores.length; i++) {
      ranked.add(new Label(labels.get(i), scores[i]));
    }
    ranked.sort(Comparator.comparingDouble(Label::score).reversed());
    return List.copyOf(ranked.subList(0, topK.count(ranked.size())));
  }

  /** {@code [{"label": …, "score": …}, …]}. */
  @Override
  public JsonNode toJson(List<Label> result) {
    ArrayNode labels = JsonNodeFactory.instance.arrayNode();
    for (Label label : result) {
      labels.addObject().put("label", label.label()).put("score", label.score());
    }
    return labels;
  }
}
