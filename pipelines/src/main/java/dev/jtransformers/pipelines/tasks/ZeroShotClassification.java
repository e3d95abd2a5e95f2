package dev.jtransformers.pipelines.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.jtransformers.api.EncodeOptions;
import dev.jtransformers.api.Encoding;
import dev.jtransformers.api.InvalidInputException;
import dev.jtransformers.api.ModelLoadException;
import dev.jtransformers.api.TextInput;
import dev.jtransformers.pipelines.spi.Chunk;
import dev.jtransformers.pipelines.spi.Task;
import dev.jtransformers.pipelines.spi.TaskContext;
import dev.jtransformers.pipelines.spi.TaskOption;
import dev.jtransformers.pipelines.spi.TaskOptions;
import dev.jtransformers.pipelines.spi.TaskProcessor;
import dev.jtransformers.spi.Head;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.stream.IntStream;

/**
 * {@code zero-shot-classification}: scores labels chosen per call with a natural-language-inference classifier, as
 * Python {@code transformers}' {@code ZeroShotClassificationPipeline}. Each candidate label makes one
 * premise/hypothesis pair (the text, and the {@code hypothesis_template} filled with the label), one chunk each, all
 * batched together; the premise is truncated if need be ({@code only_first}), never the hypothesis. A label's logit
 * is the pair's entailment logit: softmaxed over the labels, or with {@code multi_label} against the contradiction
 * logit of the same pair. The model must be a sequence classifier with an entailment label: the first in its {@code
 * label2id} whose name starts with {@code entail} (any case); contradiction is label 0, or the last one when
 * entailment is 0, as Python takes them.
 *
 * <p>There is no default model: Python's ({@code facebook/bart-large-mnli}) can't be shipped here.
 */
public final class ZeroShotClassification implements Task<ZeroShotResult> {
  /** The task, for {@code PipelineConfig.builder(ZeroShotClassification.TASK)}. */
  public static final ZeroShotClassification TASK = new ZeroShotClassification();

  /** Python's {@code candidate_labels}: a list, or one string of comma-separated labels. Required. */
  public static final TaskOption<List<String>> CANDIDATE_LABELS =
      TaskOption.of("candidate_labels", "The labels to score: a list, or one string of comma-separated labels.",
          ZeroShotClassification::readLabels, ZeroShotClassification::writeLabels, null);

  /** Python's {@code hypothesis_template}: {@code {}} stands for the label (default {@code This example is {}.}). */
  public static final TaskOption<String> HYPOTHESIS_TEMPLATE =
      TaskOption.of("hypothesis_template", "The hypothesis of each label, {} standing for the label.",
          ZeroShotClassification::readTemplate, TextNode::valueOf, "This example is {}.");

  /** Python's {@code multi_label}: score each label on its own rather than against the others. */
  public static final TaskOption<Boolean> MULTI_LABEL =
      TaskOption.flag("multi_label", "Score each label on its own (entailment against contradiction).", false);

  @Override
  public String name() {
    return "zero-shot-classification";
  }

  @Override
  public List<TaskOption<?>> options() {
    return List.of(CANDIDATE_LABELS, HYPOTHESIS_TEMPLATE, MULTI_LABEL);
  }

  @Override
  public TaskProcessor<ZeroShotResult> processor(TaskContext context) {
    Head head = context.configuredHead().orElseGet(context::classificationHead);
    List<String> labels = context.labels(head);
    int entailment = entailmentIndex(head.labels().isEmpty() ? context.config().label2id() : indexed(labels))
        .orElseThrow(() -> new ModelLoadException("zero-shot classification needs a natural-language-inference"
            + " classifier with an entailment label; the model in " + context.modelDirectory() + " ("
            + context.config().architectures() + ") has labels " + labels));
    int contradiction = entailment == 0 ? labels.size() - 1 : 0;
    EncodeOptions defaults = context.encodeOptions();
    EncodeOptions pairs =
        defaults.truncation() == EncodeOptions.Truncation.NONE
            ? defaults
            : defaults.toBuilder().truncation(EncodeOptions.Truncation.ONLY_FIRST).build();
    return new TaskProcessor<>() {
      @Override
      public List<Encoding> preprocess(TextInput input, TaskOptions options) {
        if (input.isPair()) {
          throw new InvalidInputException("zero-shot-classification classifies one text, got a pair");
        }
        String template = options.get(HYPOTHESIS_TEMPLATE).orElseThrow();
        List<Encoding> chunks = new ArrayList<>();
        for (String label : candidateLabels(options)) {
          Encoding pair = context.tokenizer().encode(TextInput.pair(input.text(), fill(template, label)), pairs);
          if (pair.length() > context.maxLength()) {
            throw new InvalidInputException("with the hypothesis of label '" + label + "' it has " + pair.length()
                + " tokens but the model takes at most " + context.maxLength() + "; enable truncation or shorten"
                + " the text");
          }
          chunks.add(pair);
        }
        return chunks;
      }

      @Override
      public Head head() {
        return head;
      }

      @Override
      public ZeroShotResult postprocess(TextInput input, List<Chunk> chunks, TaskOptions options) {
        List<String> candidates = candidateLabels(options);
        float[] entailmentLogits = new float[chunks.size()];
        double[] scores = new double[chunks.size()];
        for (int i = 0; i < chunks.size(); i++) {
          float[] logits = chunks.get(i).output().toFloatArray();
          if (logits.length != labels.size()) {
            throw new IllegalStateException("classification head returns " + logits.length + " logits per pair but"
                + " the model names " + labels.size() + " labels " + labels);
          }
          entailmentLogits[i] = logits[entailment];
          // softmax over (contradiction, entailment), the entailment side
          scores[i] = 1 / (1 + Math.exp(logits[contradiction] - logits[entailment]));
        }
        if (!options.get(MULTI_LABEL).orElseThrow() && candidates.size() > 1) {
          scores = FunctionToApply.SOFTMAX.apply(entailmentLogits);
        }
        return ranked(input.text(), candidates, scores);
      }
    };
  }

  private static List<String> candidateLabels(TaskOptions options) {
    return options.get(CANDIDATE_LABELS).orElseThrow(() -> new InvalidInputException(
        "zero-shot-classification needs candidate_labels: give at least one label"));
  }

  /** Labels by descending score; equal scores put the later label first, as Python's reversed argsort. */
  private static ZeroShotResult ranked(String sequence, List<String> candidates, double[] scores) {
    List<Integer> order =
        IntStream.range(0, scores.length)
            .boxed()
            .sorted(Comparator.comparingDouble((Integer i) -> scores[i]).thenComparingInt(i -> i).reversed())
            .toList();
    return new ZeroShotResult(
        sequence, order.stream().map(candidates::get).toList(), order.stream().map(i -> scores[i]).toList());
  }

  /** The index of the first label (in {@code label2id}'s order) whose name starts with {@code entail}. */
  private static OptionalInt entailmentIndex(Map<String, Integer> label2id) {
    for (Map.Entry<String, Integer> label : label2id.entrySet()) {
      if (label.getKey().toLowerCase(Locale.ROOT).startsWith("entail")) {
        return OptionalInt.of(label.getValue());
      }
    }
    return OptionalInt.empty();
  }

  private static Map<String, Integer> indexed(List<String> labels) {
    Map<String, Integer> ids = new LinkedHashMap<>();
    for (int i = 0; i < labels.size(); i++) {
      ids.put(labels.get(i), i);
    }
    return ids;
  }

  /**
   * The template with each replacement field ({@code {}} or {@code {0}}) replaced by the label, {@code {{} and
   * {@code }}} standing for braces: the part of Python's {@code str.format} a hypothesis template uses.
   *
   * @throws IllegalArgumentException for any other field, or an unmatched brace
   */
  static String fill(String template, String label) {
    StringBuilder out = new StringBuilder(template.length() + label.length());
    for (int i = 0; i < template.length(); i++) {
      char c = template.charAt(i);
      if (c == '{' && template.startsWith("{{", i) || c == '}' && template.startsWith("}}", i)) {
        out.append(c);
        i++;
      } else if (c == '{') {
        int close = template.indexOf('}', i);
        String field = close < 0 ? null : template.substring(i + 1, close);
        if (!"".equals(field) && !"0".equals(field)) {
          throw new IllegalArgumentException("the template \"" + template + "\" has a field other than {} or {0} at "
              + i);
        }
        out.append(label);
        i = close;
      } else if (c == '}') {
        throw new IllegalArgumentException("the template \"" + template + "\" has an unmatched '}' at " + i);
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static String readTemplate(JsonNode node) {
    if (!node.isTextual()) {
      throw new IllegalArgumentException("must be a string, got " + node);
    }
    String template = node.textValue();
    if (fill(template, "label").equals(template)) {
      throw new IllegalArgumentException("\"" + template + "\" has no {} where the label should go");
    }
    return template;
  }

  /** A list of strings kept as they are, or one string split at commas, each label trimmed and empty ones dropped. */
  private static List<String> readLabels(JsonNode node) {
    List<String> labels = new ArrayList<>();
    if (node.isTextual() || node.isNumber()) {
      for (String label : node.asText().split(",")) {
        if (!label.strip().isEmpty()) {
          labels.add(label.strip());
        }
      }
    } else if (node.isArray()) {
      for (JsonNode label : node) {
        if (!label.isTextual()) {
          throw new IllegalArgumentException("must be strings, got " + label);
        }
        labels.add(label.textValue());
      }
    } else {
      throw new IllegalArgumentException("must be a list of labels or a comma-separated string, got " + node);
    }
    if (labels.isEmpty()) {
      throw new IllegalArgumentException("needs at least one label, got " + node);
    }
    return List.copyOf(labels);
  }

  private static JsonNode writeLabels(List<String> labels) {
    ArrayNode array = JsonNodeFactory.instance.arrayNode();
    labels.forEach(array::add);
    return array;
  }

  /** {@code {"sequence", "labels", "scores"}}. */
  @Override
  public JsonNode toJson(ZeroShotResult result) {
    ObjectNode json = JsonNodeFactory.instance.objectNode().put("sequence", result.sequence());
    json.set("labels", writeLabels(result.labels()));
    ArrayNode scores = json.putArray("scores");
    result.scores().forEach(scores::add);
    return json;
  }
}
