package dev.jtransformers.benchmarks;

import dev.jtransformers.models.ModelConfig;

/**
 * The matrix multiply-adds of a BERT encoder, counted as 2 FLOPs each, from its configuration: per token and layer
 * the four attention projections ({@code 4·h²}) and the feed-forward pair ({@code 2·h·i}), plus attention's two
 * products over the sequence ({@code 2·s·h}: scores and the weighted sum). Element-wise work (softmax, GELU, layer
 * norms) is left out, as FLOP counts for peak comparisons do.
 *
 * @param layers encoder layers
 * @param hidden hidden size {@code h}
 * @param intermediate feed-forward size {@code i}
 */
record MatrixFlops(int layers, int hidden, int intermediate) {

  static MatrixFlops of(ModelConfig config) {
    return new MatrixFlops(config.numHiddenLayers(), config.hiddenSize(), config.intermediateSize());
  }

  /** FLOPs for one token of a sequence of {@code sequenceLength} tokens. */
  double perToken(int sequenceLength) {
    double h = hidden;
    return 2.0 * layers * (4 * h * h + 2 * h * intermediate + 2 * sequenceLength * h);
  }

  /** FLOPs for one sequence of {@code tokens} tokens, run unpadded. */
  double perSequence(int tokens) {
    return tokens * perToken(tokens);
  }
}
