package dev.jtransformers.architectures;

import static dev.jtransformers.api.ModelOutput.END_LOGITS;
import static dev.jtransformers.api.ModelOutput.LAST_HIDDEN_STATE;
import static dev.jtransformers.api.ModelOutput.LOGITS;
import static dev.jtransformers.api.ModelOutput.POOLER_OUTPUT;
import static dev.jtransformers.api.ModelOutput.START_LOGITS;

import dev.jtransformers.api.ModelLoadException;
import dev.jtransformers.models.ModelConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The task head on top of an encoder, as the Hugging Face class a checkpoint's {@code config.json} names in {@code
 * architectures} says ({@code BertForTokenClassification} is {@link #TOKEN_CLASSIFICATION}), and the outputs a
 * network with that head returns, in order. The names hold for every encoder family (BERT, DistilBERT, RoBERTa...),
 * so any backend can name its outputs with them, whether or not this module describes the architecture.
 */
public enum TaskHead {
  /** The bare encoder ({@code BertModel}): the hidden states, and the pooled {@code [CLS]} state if it has a pooler. */
  BASE("Model", LAST_HIDDEN_STATE, POOLER_OUTPUT),
  /** {@code *ForSequenceClassification}: one logit vector per input, from the {@code [CLS]} state. */
  SEQUENCE_CLASSIFICATION("ForSequenceClassification", LOGITS, LAST_HIDDEN_STATE),
  /** {@code *ForTokenClassification}: one logit vector per token. */
  TOKEN_CLASSIFICATION("ForTokenClassification", LOGITS, LAST_HIDDEN_STATE),
  /** {@code *ForQuestionAnswering}: per token, the score of starting and of ending the answer span there. */
  QUESTION_ANSWERING("ForQuestionAnswering", START_LOGITS, END_LOGITS, LAST_HIDDEN_STATE),
  /** {@code *ForMaskedLM}: per token, a logit for every vocabulary entry. */
  MASKED_LM("ForMaskedLM", LOGITS, LAST_HIDDEN_STATE);

  private final String classSuffix;
  private final List<String> outputNames;

  TaskHead(String classSuffix, String... outputNames) {
    this.classSuffix = classSuffix;
    this.outputNames = List.of(outputNames);
  }

  /**
   * The head of the checkpoint {@code config} describes: the first of its {@code architectures}, a bare model when
   * it names none.
   *
   * @throws ModelLoadException naming the class and the supported heads, if the class has none of these heads
   *     (e.g. {@code BertForPreTraining}, {@code BertLMHeadModel})
   */
  public static TaskHead of(ModelConfig config) {
    List<String> architectures = config.architectures();
    if (architectures.isEmpty()) {
      return BASE;
    }
    String name = architectures.get(0);
    int task = name.lastIndexOf("For");
    for (TaskHead head : values()) {
      boolean matches =
          head == BASE
              ? task < 0 && name.endsWith(head.classSuffix) && !name.contains("Head") // not BertLMHeadModel
              : task > 0 && name.substring(task).equals(head.classSuffix);
      if (matches) {
        return head;
      }
    }
    throw new ModelLoadException(
        "config.json: architectures names '"
            + name
            + "', which has no supported task head; supported: "
            + Arrays.stream(values()).map(head -> "*" + head.classSuffix).toList());
  }

  /** The end of the Hugging Face class names with this head: {@code Model}, {@code ForTokenClassification}, ... */
  public String classSuffix() {
    return classSuffix;
  }

  /**
   * The outputs a network with this head returns, in order: the task's outputs, then {@code last_hidden_state}; for
   * a bare model {@code last_hidden_state} then {@code pooler_output} (only the first where the encoder has no
   * pooler, as DistilBERT).
   */
  public List<String> outputNames() {
    return outputNames;
  }

  /**
   * Gives a graph's outputs the names of {@link #outputNames()}: an output the graph already calls by one of them
   * keeps it; the others take the remaining names in order (all-MiniLM-L6-v2's ONNX outputs {@code output_0} and
   * {@code 882} become {@code last_hidden_state} and {@code pooler_output}); outputs beyond those keep their graph
   * names.
   *
   * @param graphOutputs the graph's output names, in graph order
   * @return each output's name keyed by its graph name, in graph order
   * @throws IllegalArgumentException if a graph output name repeats
   */
  public Map<String, String> assignOutputNames(List<String> graphOutputs) {
    Objects.requireNonNull(graphOutputs, "graphOutputs");
    List<String> remaining = new ArrayList<>(outputNames);
    remaining.removeAll(graphOutputs);
    Map<String, String> names = new LinkedHashMap<>();
    int next = 0;
    for (String graphName : graphOutputs) {
      String name = outputNames.contains(graphName) || next == remaining.size() ? graphName : remaining.get(next++);
      if (names.put(graphName, name) != null) {
        throw new IllegalArgumentException("graph output '" + graphName + "' appears twice in " + graphOutputs);
      }
    }
    return names;
  }
}
