package dev.jtransformers.pipelines.tasks;

import dev.jtransformers.api.Tensor;
import dev.jtransformers.heads.ConfigNames;
import java.util.Objects;

/**
 * The function a classification pipeline applies to logits, as Python's {@code function_to_apply}. Also usable
 * by hand: {@code FunctionToApply.SOFTMAX.apply(logits)} is Python's {@code torch.softmax(logits, dim=-1)}.
 */
public enum FunctionToApply {
  /** Probabilities over exclusive classes. */
  SOFTMAX,
  /** Independent probabilities per class (multi-label, or a single output). */
  SIGMOID,
  /** The raw scores (regression). */
  NONE;

  /**
   * Python's default for a model: {@code regression} → none; {@code multi_label_classification} or a single label
   * → sigmoid; otherwise softmax.
   *
   * @param problemType the config's {@code problem_type}, or {@code null}
   */
  public static FunctionToApply defaultFor(String problemType, int numLabels) {
    if ("regression".equals(problemType)) {
      return NONE;
    }
    if ("multi_label_classification".equals(problemType) || numLabels == 1) {
      return SIGMOID;
    }
    return SOFTMAX;
  }

  /** Parses {@code softmax}, {@code sigmoid} or {@code none}. */
  public static FunctionToApply parse(String name) {
    return ConfigNames.parse(FunctionToApply.class, "function_to_apply", name);
  }

  /**
   * Applies the function along the last dimension of {@code logits}, e.g. each row of {@code [batch, labels]}
   * logits to that input's probabilities.
   *
   * @return a tensor of the same shape
   * @throws IllegalArgumentException if {@code logits} is a scalar (rank 0)
   */
  public Tensor apply(Tensor logits) {
    Objects.requireNonNull(logits, "logits");
    if (logits.rank() == 0) {
      throw new IllegalArgumentException("logits must have at least one dimension, got a scalar");
    }
    int width = logits.dim(logits.rank() - 1);
    float[] values = logits.toFloatArray();
    float[] row = new float[width];
    for (int start = 0; start < values.length; start += width) {
      System.arraycopy(values, start, row, 0, width);
      double[] applied = apply(row);
      for (int i = 0; i < width; i++) {
        values[start + i] = (float) applied[i];
      }
    }
    return Tensor.wrap(values, logits.shape());
  }

  /** Applies the function to one row of logits. */
  double[] apply(float[] logits) {
    double[] out = new double[logits.length];
    switch (this) {
      case SOFTMAX -> {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : logits) {
          max = Math.max(max, v);
        }
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
          out[i] = Math.exp(logits[i] - max);
          sum += out[i];
        }
        for (int i = 0; i < out.length; i++) {
          out[i] /= sum;
        }
      }
      case SIGMOID -> {
        for (int i = 0; i < logits.length; i++) {
          out[i] = 1.0 / (1.0 + Math.exp(-logits[i]));
        }
      }
      case NONE -> {
        for (int i = 0; i < logits.length; i++) {
          out[i] = logits[i];
        }
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return ConfigNames.of(this);
  }
}
