package dev.jtransformers.architectures;

import dev.jtransformers.models.ModelConfig;
import java.util.List;
import java.util.Optional;

/**
 * Where an architecture keeps its masked-LM head: a transform of every token (a linear layer, {@code hidden_act}, a
 * layer norm), then a decoder whose weight is tied to the word embeddings and whose bias is stored apart.
 *
 * @param transform the path of the transform's linear layer
 * @param norm the path of its layer norm
 * @param bias the name of the decoder's bias
 */
record MaskedLmNames(String transform, String norm, String bias) {
  /** The head's two layers, sized by {@code config}, decoding with {@code words}. */
  List<HeadLayer> layers(ModelConfig config, Activation activation, Parameter words) {
    int hidden = config.hiddenSize();
    HeadLayer transformLayer =
        new HeadLayer(
            Linear.at(transform, hidden, hidden),
            activation,
            Optional.of(LayerNorm.at(norm, hidden, config.layerNormEps())));
    HeadLayer decoder =
        HeadLayer.of(new Linear(words, Parameter.of(bias, config.vocabSize())), Activation.IDENTITY);
    return List.of(transformLayer, decoder);
  }
}
