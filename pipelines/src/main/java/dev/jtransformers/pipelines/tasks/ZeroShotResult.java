package dev.jtransformers.pipelines.tasks;

import java.util.List;
import java.util.Objects;

/**
 * The result of {@code zero-shot-classification} for one text, as Python's pipeline gives it.
 *
 * @param sequence the text classified
 * @param labels the candidate labels, most likely first
 * @param scores each label's score, in the order of {@code labels}
 */
public record ZeroShotResult(String sequence, List<String> labels, List<Double> scores) {

  public ZeroShotResult {
    Objects.requireNonNull(sequence, "sequence");
    labels = List.copyOf(labels);
    scores = List.copyOf(scores);
    if (labels.size() != scores.size()) {
      throw new IllegalArgumentException(labels.size() + " labels but " + scores.size() + " scores");
    }
  }
}
