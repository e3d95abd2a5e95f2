package dev.jtransformers.architectures;

import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * One transformer layer, post-norm as in BERT and DistilBERT: {@code x = norm1(x + out(attention(x)))}, then {@code
 * x = norm2(x + down(activation(up(x))))}.
 *
 * @param attentionHeads heads of the multi-head self-attention; each attends with {@code hidden / attentionHeads}
 *     dimensions
 * @param query the query projection {@code [hidden, hidden]}
 * @param key the key projection {@code [hidden, hidden]}
 * @param value the value projection {@code [hidden, hidden]}
 * @param attentionOutput the projection of the heads' concatenated contexts {@code [hidden, hidden]}
 * @param attentionNorm after the attention's residual sum
 * @param intermediate the feed-forward layer's expansion {@code [intermediate, hidden]}
 * @param activation the feed-forward layer's activation ({@code hidden_act})
 * @param output the feed-forward layer's projection back {@code [hidden, intermediate]}
 * @param outputNorm after the feed-forward residual sum
 */
public record EncoderLayer(
    int attentionHeads,
    Linear query,
    Linear key,
    Linear value,
    Linear attentionOutput,
    LayerNorm attentionNorm,
    Linear intermediate,
    Activation activation,
    Linear output,
    LayerNorm outputNorm) {

  /** @throws IllegalArgumentException if the heads do not split the hidden width evenly */
  public EncoderLayer {
    Objects.requireNonNull(activation, "activation");
    Stream.of(query, key, value, attentionOutput, attentionNorm, intermediate, output, outputNorm)
        .forEach(Objects::requireNonNull);
    if (attentionHeads < 1 || query.outputs() % attentionHeads != 0) {
      throw new IllegalArgumentException(
          attentionHeads + " attention heads do not split the hidden width " + query.outputs() + " evenly");
    }
  }

  /** Every parameter, in checkpoint order. */
  public List<Parameter> parameters() {
    return Stream.of(
            query.parameters(),
            key.parameters(),
            value.parameters(),
            attentionOutput.parameters(),
            attentionNorm.parameters(),
            intermediate.parameters(),
            output.parameters(),
            outputNorm.parameters())
        .flatMap(List::stream)
        .toList();
  }
}
