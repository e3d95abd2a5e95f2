package dev.jtransformers.architectures;

/**
 * Where a network drops activations while it trains, and how often, as Hugging Face's PyTorch modules do in {@code
 * train()} mode; inference drops nothing. Each rate is the probability of zeroing an element (the rest are scaled
 * by {@code 1 / (1 - rate)}); 0 drops nothing there.
 *
 * @param embeddings after the embeddings' layer norm ({@code hidden_dropout_prob}; DistilBERT {@code dropout})
 * @param attention on the attention probabilities ({@code attention_probs_dropout_prob}; {@code attention_dropout})
 * @param attentionOutput after the attention's output projection, before its residual sum (BERT {@code
 *     hidden_dropout_prob}; DistilBERT has none)
 * @param feedForwardOutput after the feed-forward layer's projection back, before its residual sum
 * @param headOutput before the head's last layer ({@code classifier_dropout}, {@code seq_classif_dropout}...; 0
 *     for heads without, such as BERT's question answering and every masked LM)
 */
public record DropoutRates(
    double embeddings, double attention, double attentionOutput, double feedForwardOutput, double headOutput) {
  /** No dropout anywhere: what a training step equals inference under, as in a reference computation. */
  public static final DropoutRates NONE = new DropoutRates(0, 0, 0, 0, 0);

  /** @throws IllegalArgumentException if a rate is outside {@code [0, 1)} */
  public DropoutRates {
    for (double rate : new double[] {embeddings, attention, attentionOutput, feedForwardOutput, headOutput}) {
      if (!(rate >= 0 && rate < 1)) {
        throw new IllegalArgumentException("a dropout rate must be in [0, 1), got " + rate);
      }
    }
  }
}
