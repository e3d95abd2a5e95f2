package dev.jtransformers.finetuning;

import dev.jtransformers.api.BatchEncoding;
import dev.jtransformers.api.EncodeOptions;
import dev.jtransformers.api.Encoding;
import dev.jtransformers.api.TextInput;
import dev.jtransformers.api.Tokenizer;
import dev.jtransformers.backend.pytorch.TrainableNetwork;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * Some rows of a {@link Dataset}, tokenised once: each row's token count and the label of each (or of each token,
 * {@value TrainableNetwork#IGNORED_LABEL} where none counts), so that batches only pad.
 */
final class Examples {
  private final Tokenizer tokenizer;
  private final EncodeOptions batchOptions;
  private final List<TextInput> inputs;
  private final int[][] labels;
  private final int[] lengths;
  private final boolean[] sentences;

  private Examples(
      Tokenizer tokenizer, EncodeOptions batchOptions, List<TextInput> inputs, int[][] labels, int[] lengths,
      boolean[] sentences) {
    this.tokenizer = tokenizer;
    this.batchOptions = batchOptions;
    this.inputs = inputs;
    this.labels = labels;
    this.lengths = lengths;
    this.sentences = sentences;
  }

  /**
   * The rows {@code rows} of {@code data}.
   *
   * @param labelIds the label names in class-id order
   * @param isSentence which rows of {@code data} are sentences (part of no longer row), for sentence accuracy
   * @throws IllegalArgumentException naming the row, if a label is not one of {@code labelIds}
   */
  static Examples of(
      Dataset data, int[] rows, List<String> labelIds, IntPredicate isSentence, Tokenizer tokenizer, int maxLength) {
    EncodeOptions single =
        EncodeOptions.builder().truncation(EncodeOptions.Truncation.LONGEST_FIRST).maxLength(maxLength).build();
    EncodeOptions batch = single.toBuilder().padding(EncodeOptions.Padding.LONGEST).build();
    List<TextInput> inputs = new ArrayList<>();
    int[][] labels = new int[rows.length][];
    int[] lengths = new int[rows.length];
    boolean[] sentences = new boolean[rows.length];
    for (int i = 0; i < rows.length; i++) {
      int row = rows[i];
      TextInput input = data.input(row);
      inputs.add(input);
      Encoding encoding = tokenizer.encode(input, single);
      lengths[i] = encoding.length();
      sentences[i] = isSentence.test(row);
      labels[i] =
          data.task() == FineTuningTask.TEXT_CLASSIFICATION
              ? new int[] {id(labelIds, data.labels(row).get(0), row)}
              : tokenLabels(encoding, data.words(row), data.labels(row), labelIds, row);
    }
    return new Examples(tokenizer, batch, List.copyOf(inputs), labels, lengths, sentences);
  }

  /** Each word's label on its first token, as {@code transformers}' token-classification examples align them. */
  private static int[] tokenLabels(
      Encoding encoding, List<String> words, List<String> tags, List<String> labelIds, int row) {
    int[] starts = new int[words.size()];
    int position = 0;
    for (int w = 0; w < words.size(); w++) {
      starts[w] = position;
      position += words.get(w).length() + 1;
    }
    int[] labels = new int[encoding.length()];
    Arrays.fill(labels, TrainableNetwork.IGNORED_LABEL);
    int[][] offsets = encoding.offsets();
    int previous = -1;
    for (int t = 0; t < labels.length; t++) {
      if (encoding.specialTokensMask()[t] == 1) {
        continue;
      }
      int word = Arrays.binarySearch(starts, offsets[t][0]);
      word = word >= 0 ? word : -word - 2;
      if (word >= 0 && word != previous) {
        labels[t] = id(labelIds, tags.get(word), row);
      }
      previous = word;
    }
    return labels;
  }

  private static int id(List<String> labelIds, String label, int row) {
    int id = labelIds.indexOf(label);
    if (id < 0) {
      throw new IllegalArgumentException("row " + row + ": label '" + label + "' is not one of " + labelIds);
    }
    return id;
  }

  int size() {
    return inputs.size();
  }

  /** The token count of example {@code i}, truncated. */
  int length(int i) {
    return lengths[i];
  }

  /** Whether example {@code i} is a sentence: part of no longer example. */
  boolean isSentence(int i) {
    return sentences[i];
  }

  /** Example {@code i}'s label (text classification) or its tokens' labels. */
  int[] labels(int i) {
    return labels[i];
  }

  /** Examples {@code batch}, padded to the longest. */
  BatchEncoding encode(int[] batch) {
    List<TextInput> selected = Arrays.stream(batch).mapToObj(inputs::get).toList();
    return tokenizer.encodeBatch(selected, batchOptions);
  }

  /**
   * The labels of {@code batch} as {@link TrainableNetwork#step} takes them: one per example, or one per token of
   * the padded batch, padding ignored.
   */
  int[] batchLabels(int[] batch, int sequenceLength, boolean perToken) {
    if (!perToken) {
      return Arrays.stream(batch).map(i -> labels[i][0]).toArray();
    }
    int[] flat = new int[batch.length * sequenceLength];
    Arrays.fill(flat, TrainableNetwork.IGNORED_LABEL);
    for (int b = 0; b < batch.length; b++) {
      System.arraycopy(labels[batch[b]], 0, flat, b * sequenceLength, labels[batch[b]].length);
    }
    return flat;
  }
}
