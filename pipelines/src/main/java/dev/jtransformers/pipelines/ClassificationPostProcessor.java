package dev.jtransformers.pipelines;

import dev.jtransformers.api.BatchEncoding;
import dev.jtransformers.api.Label;
import dev.jtransformers.api.Tensor;
import dev.jtransformers.spi.PostProcessor;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Logits {@code [batch, labels]} to scored labels: the function to apply, then the {@code top_k} best, highest
 * score first, named by {@code id2label}.
 */
final class ClassificationPostProcessor implements PostProcessor<List<Label>> {
  private final FunctionToApply function;
  private final int topK;
  private final List<String> labels;

  /**
   * @param topK how many labels to return per input; 0 for all
   * @param labels the name of each class index
   */
  ClassificationPostProcessor(FunctionToApply function, int topK, List<String> labels) {
    this.function = Objects.requireNonNull(function, "function");
    this.topK = topK;
    this.labels = List.copyOf(labels);
  }

  @Override
  public List<List<Label>> process(Tensor logits, BatchEncoding batch) {
    if (logits.rank() != 2 || logits.dim(0) != batch.size()) {
      throw new IllegalArgumentException(
          "classification head must return [batch=" + batch.size() + ", labels], got " + logits);
    }
    if (logits.dim(1) != labels.size()) {
      throw new IllegalArgumentException(
          "head returns " + logits.dim(1) + " scores per input but the model names " + labels.size() + " labels "
              + labels);
    }
    List<List<Label>> results = new ArrayList<>(batch.size());
    float[][] rows = logits.toFloatArray2D();
    for (float[] row : rows) {
      double[] scores = function.apply(row);
      List<Label> ranked = new ArrayList<>(scores.length);
      for (int i = 0; i < scores.length; i++) {
        ranked.add(new Label(labels.get(i), scores[i]));
      }
      ranked.sort(Comparator.comparingDouble(Label::score).reversed());
      results.add(List.copyOf(topK == 0 ? ranked : ranked.subList(0, Math.min(topK, ranked.size()))));
    }
    return results;
  }
}
