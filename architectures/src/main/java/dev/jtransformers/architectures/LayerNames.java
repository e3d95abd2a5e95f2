package dev.jtransformers.architectures;

import dev.jtransformers.models.ModelConfig;

/**
 * Where an architecture keeps the modules of each encoder layer: {@code <prefix><layers><index>.<module>}, e.g.
 * BERT's {@code bert.encoder.layer.0.attention.self.query}.
 *
 * @param layers the path of the layer list, e.g. {@code encoder.layer.}
 */
record LayerNames(
    String layers,
    String query,
    String key,
    String value,
    String attentionOutput,
    String attentionNorm,
    String intermediate,
    String output,
    String outputNorm) {

  /** Layer {@code index} under {@code prefix}, sized by {@code config}. */
  EncoderLayer layer(String prefix, int index, ModelConfig config, Activation activation) {
    String path = prefix + layers + index + ".";
    int hidden = config.hiddenSize();
    int expanded = config.intermediateSize();
    double epsilon = config.layerNormEps();
    return new EncoderLayer(
        config.numAttentionHeads(),
        Linear.at(path + query, hidden, hidden),
        Linear.at(path + key, hidden, hidden),
        Linear.at(path + value, hidden, hidden),
        Linear.at(path + attentionOutput, hidden, hidden),
        LayerNorm.at(path + attentionNorm, hidden, epsilon),
        Linear.at(path + intermediate, hidden, expanded),
        activation,
        Linear.at(path + output, expanded, hidden),
        LayerNorm.at(path + outputNorm, hidden, epsilon));
  }
}
