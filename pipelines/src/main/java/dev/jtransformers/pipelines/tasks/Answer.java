package dev.jtransformers.pipelines.tasks;

import java.util.Objects;

/**
 * One answer of {@code question-answering}, as Python's pipeline gives it.
 *
 * @param score the probability of the span (summed over the windows and positions where the same text, ignoring
 *     case, was found)
 * @param start where the answer starts in the context, in code points as Python counts ({@code
 *     context.offsetByCodePoints(0, start)} is the Java index)
 * @param end where it ends (exclusive), in code points
 * @param answer the context's text from {@code start} to {@code end}; empty for the impossible answer
 */
public record Answer(double score, int start, int end, String answer) {

  public Answer {
    Objects.requireNonNull(answer, "answer");
    if (start < 0 || end < start) {
      throw new IllegalArgumentException("answer span [" + start + ", " + end + ") is not a span");
    }
  }

  /** This answer with {@code more} added to its score. */
  Answer plus(double more) {
    return new Answer(score + more, start, end, answer);
  }
}
