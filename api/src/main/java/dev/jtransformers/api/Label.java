package dev.jtransformers.api;

import java.util.Objects;

/**
 * One scored label of a classification result, as Python's {@code {"label": ..., "score": ...}}.
 *
 * @param label the name from the model's {@code id2label} (or {@code LABEL_i} when it has none)
 * @param score the probability (or raw score when no function is applied)
 */
public record Label(String label, double score) {
  public Label {
    Objects.requireNonNull(label, "label");
  }
}
