package dev.jtransformers.finetuning;

import dev.jtransformers.api.TextInput;
import dev.jtransformers.pipelines.LabelledData;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Labelled examples to fine-tune on, as read from a file: texts (or pairs) with one label each for text
 * classification, sentences of words with one label per word for token classification. Immutable.
 */
public final class Dataset {
  private final FineTuningTask task;
  private final List<TextInput> inputs;
  private final List<List<String>> words;
  private final List<List<String>> labels;
  private final List<String> labelNames;

  private Dataset(
      FineTuningTask task,
      List<TextInput> inputs,
      List<List<String>> words,
      List<List<String>> labels,
      List<String> labelNames) {
    this.task = task;
    this.inputs = List.copyOf(inputs);
    this.words = words;
    this.labels = labels;
    this.labelNames = List.copyOf(labelNames);
  }

  /** Texts with one label each. */
  public static Dataset of(LabelledData data) {
    Objects.requireNonNull(data, "data");
    return new Dataset(
        FineTuningTask.TEXT_CLASSIFICATION,
        data.inputs(),
        List.of(),
        data.labels().stream().map(List::of).toList(),
        data.labelNames());
  }

  /** Sentences of words with one label per word; each sentence is the words joined by spaces. */
  public static Dataset of(TaggedData data) {
    Objects.requireNonNull(data, "data");
    List<TextInput> inputs = new ArrayList<>();
    data.sentences().forEach(sentence -> inputs.add(TextInput.of(String.join(" ", sentence))));
    return new Dataset(FineTuningTask.TOKEN_CLASSIFICATION, inputs, data.sentences(), data.tags(), data.labelNames());
  }

  /** The task these labels are for. */
  public FineTuningTask task() {
    return task;
  }

  public int size() {
    return inputs.size();
  }

  /** Example {@code i}'s text; for token classification its words joined by single spaces. */
  public TextInput input(int i) {
    return inputs.get(i);
  }

  /** Example {@code i}'s words (token classification); empty for text classification. */
  public List<String> words(int i) {
    return words.isEmpty() ? List.of() : words.get(i);
  }

  /** Example {@code i}'s label, or its words' labels. */
  public List<String> labels(int i) {
    return labels.get(i);
  }

  /**
   * The distinct labels in a stable order (numerical when all are integers, else as {@link
   * LabelledData#labelNames()} or in order of appearance for tagged words); a label's index is its class id.
   */
  public List<String> labelNames() {
    return labelNames;
  }

  /** The texts, for grouping phrases with their sentences. */
  public List<String> texts() {
    return inputs.stream().map(input -> input.textPair() == null ? input.text() : input.text() + " " + input.textPair())
        .toList();
  }
}
