package dev.jtransformers.architectures;

import dev.jtransformers.models.ModelConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * DistilBERT's names ({@code DistilBertModel} and its task models), as Hugging Face {@code transformers} saves
 * them. DistilBERT has no token types and no pooler.
 */
final class DistilBertLayout implements Layout {
  @Override
  public String baseModelPrefix() {
    return "distilbert";
  }

  @Override
  public String classPrefix() {
    return "DistilBert";
  }

  @Override
  public Embeddings embeddings(String prefix, ModelConfig config) {
    String path = prefix + "embeddings.";
    int hidden = config.hiddenSize();
    return new Embeddings(
        Parameter.of(path + "word_embeddings.weight", config.vocabSize(), hidden),
        Parameter.of(path + "position_embeddings.weight", config.maxPositionEmbeddings(), hidden),
        Optional.empty(),
        LayerNorm.at(path + "LayerNorm", hidden, config.layerNormEps()));
  }

  @Override
  public EncoderLayer layer(String prefix, int index, ModelConfig config, Activation activation) {
    String path = prefix + "transformer.layer." + index + ".";
    int hidden = config.hiddenSize();
    int intermediate = config.intermediateSize();
    double epsilon = config.layerNormEps();
    return new EncoderLayer(
        config.numAttentionHeads(),
        Linear.at(path + "attention.q_lin", hidden, hidden),
        Linear.at(path + "attention.k_lin", hidden, hidden),
        Linear.at(path + "attention.v_lin", hidden, hidden),
        Linear.at(path + "attention.out_lin", hidden, hidden),
        LayerNorm.at(path + "sa_layer_norm", hidden, epsilon),
        Linear.at(path + "ffn.lin1", hidden, intermediate),
        activation,
        Linear.at(path + "ffn.lin2", intermediate, hidden),
        LayerNorm.at(path + "output_layer_norm", hidden, epsilon));
  }

  @Override
  public Optional<HeadLayer> pooler(String prefix, ModelConfig config) {
    return Optional.empty();
  }

  @Override
  public HeadLayer preClassifier(String prefix, ModelConfig config) {
    return HeadLayer.of(Linear.at("pre_classifier", config.hiddenSize(), config.hiddenSize()), Activation.RELU);
  }

  @Override
  public HeadLayer maskedLmTransform(ModelConfig config, Activation activation) {
    int hidden = config.hiddenSize();
    return new HeadLayer(
        Linear.at("vocab_transform", hidden, hidden),
        activation,
        Optional.of(LayerNorm.at("vocab_layer_norm", hidden, config.layerNormEps())));
  }

  @Override
  public Parameter maskedLmBias(ModelConfig config) {
    return Parameter.of("vocab_projector.bias", config.vocabSize());
  }

  @Override
  public List<Parameter> ignorable(TaskHead task, String prefix, ModelConfig config) {
    List<Parameter> ignorable = new ArrayList<>();
    ignorable.add(Parameter.of(prefix + "embeddings.position_ids", 1, config.maxPositionEmbeddings()));
    if (task == TaskHead.MASKED_LM) {
      // Tied to the word embeddings.
      ignorable.add(Parameter.of("vocab_projector.weight", config.vocabSize(), config.hiddenSize()));
    }
    return List.copyOf(ignorable);
  }
}
