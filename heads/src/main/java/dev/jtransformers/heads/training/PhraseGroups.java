package dev.jtransformers.heads.training;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Which training rows belong together: a row and every row it contains as a run of whole tokens form one group,
 * named after its longest row, the group's <em>sentence</em>. Data sets such as SST-2 hold a sentence together with
 * many of its phrases; a validation split that puts a phrase on one side and its sentence on the other measures
 * recall, not generalisation, so {@link HeadTrainer} holds out whole groups, and reports accuracy on the held-out
 * sentences (the rows that are part of no longer row), which is what whole-sentence test sets such as SST-2 dev ask
 * of a head.
 *
 * <p>Tokens are the runs of non-whitespace; a row belongs to the longest row (most tokens, then earliest) that
 * contains it, or a longer row's group that does. Immutable and deterministic.
 */
public final class PhraseGroups {
  private final int[] sentenceOf;

  private PhraseGroups(int[] sentenceOf) {
    this.sentenceOf = sentenceOf;
  }

  /** Every row its own group and its own sentence: for examples that share nothing, such as synthetic vectors. */
  public static PhraseGroups independent(int rows) {
    int[] sentenceOf = new int[rows];
    Arrays.setAll(sentenceOf, i -> i);
    return new PhraseGroups(sentenceOf);
  }

  /** Groups texts by the longest text that contains each as a run of whole tokens. */
  public static PhraseGroups of(List<String> texts) {
    Objects.requireNonNull(texts, "texts");
    List<String[]> tokens = texts.stream().map(t -> t.strip().isEmpty() ? new String[0] : t.strip().split("\\s+")).toList();
    List<String> padded = tokens.stream().map(t -> " " + String.join(" ", t) + " ").toList();
    Integer[] longestFirst = IntStream.range(0, texts.size()).boxed().toArray(Integer[]::new);
    Arrays.sort(longestFirst, Comparator.<Integer>comparingInt(i -> -tokens.get(i).length).thenComparingInt(i -> i));
    // Sentences by token, in the order found (longest first), so the first that contains a row is the longest.
    Map<String, List<Integer>> sentencesWith = new HashMap<>();
    int[] sentenceOf = new int[texts.size()];
    for (int row : longestFirst) {
      int sentence = containingSentence(tokens.get(row), padded.get(row), padded, sentencesWith);
      if (sentence < 0) {
        sentence = row;
        for (String token : new LinkedHashSet<>(Arrays.asList(tokens.get(row)))) {
          sentencesWith.computeIfAbsent(token, t -> new ArrayList<>()).add(row);
        }
      }
      sentenceOf[row] = sentence;
    }
    return new PhraseGroups(sentenceOf);
  }

  /** The longest sentence found so far that holds {@code row}, or -1; looked up by the row's rarest token. */
  private static int containingSentence(
      String[] tokens, String padded, List<String> paddedTexts, Map<String, List<Integer>> sentencesWith) {
    List<Integer> candidates = null;
    for (String token : tokens) {
      List<Integer> with = sentencesWith.getOrDefault(token, List.of());
      if (candidates == null || with.size() < candidates.size()) {
        candidates = with;
      }
    }
    if (candidates == null) {
      return -1; // an empty row is its own group
    }
    for (int sentence : candidates) {
      if (paddedTexts.get(sentence).contains(padded)) {
        return sentence;
      }
    }
    return -1;
  }

  /** The number of rows. */
  public int size() {
    return sentenceOf.length;
  }

  /** The row that names {@code row}'s group: its sentence. */
  public int sentenceOf(int row) {
    return sentenceOf[row];
  }

  /** Whether {@code row} is its group's sentence, i.e. part of no longer row. */
  public boolean isSentence(int row) {
    return sentenceOf[row] == row;
  }

  /**
   * Which rows to hold out for validation: whole groups, in an order drawn with {@code random}, until they hold
   * {@code fraction} of the rows (at least one group, and never the last), so that no held-out row is part of, or
   * contains, a row kept for training.
   *
   * @return for each row, whether it is held out
   * @throws IllegalArgumentException if there are fewer than two groups
   */
  public boolean[] holdOut(double fraction, Random random) {
    int[] sentences = sentences();
    if (sentences.length < 2) {
      throw new IllegalArgumentException("need at least two groups of examples to hold one out for validation");
    }
    shuffle(sentences, random);
    int[] groupSize = new int[sentenceOf.length];
    for (int row = 0; row < sentenceOf.length; row++) {
      groupSize[sentenceOf[row]]++;
    }
    boolean[] heldSentence = new boolean[sentenceOf.length];
    long wanted = Math.max(1, Math.round(sentenceOf.length * fraction));
    int held = 0;
    for (int g = 0; g < sentences.length - 1 && held < wanted; g++) {
      heldSentence[sentences[g]] = true;
      held += groupSize[sentences[g]];
    }
    boolean[] heldOut = new boolean[sentenceOf.length];
    for (int row = 0; row < sentenceOf.length; row++) {
      heldOut[row] = heldSentence[sentenceOf[row]];
    }
    return heldOut;
  }

  /** Fisher-Yates with {@code random}. */
  static void shuffle(int[] values, Random random) {
    for (int i = values.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int swap = values[i];
      values[i] = values[j];
      values[j] = swap;
    }
  }

  /** The sentences, in row order. */
  int[] sentences() {
    return IntStream.range(0, sentenceOf.length).filter(this::isSentence).toArray();
  }

  @Override
  public String toString() {
    return "PhraseGroups[" + sentenceOf.length + " rows, " + sentences().length + " sentences]";
  }
}
