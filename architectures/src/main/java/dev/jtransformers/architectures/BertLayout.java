package dev.jtransformers.architectures;

import dev.jtransformers.models.ModelConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** BERT's names ({@code BertModel} and its task models), as Hugging Face {@code transformers} saves them. */
final class BertLayout implements Layout {
  /** {@code BertConfig}'s {@code type_vocab_size} when a configuration leaves it out. */
  private static final int DEFAULT_TYPE_VOCAB_SIZE = 2;

  @Override
  public String baseModelPrefix() {
    return "bert";
  }

  @Override
  public String classPrefix() {
    return "Bert";
  }

  @Override
  public Embeddings embeddings(String prefix, ModelConfig config) {
    String path = prefix + "embeddings.";
    int hidden = config.hiddenSize();
    int types = config.typeVocabSize() > 0 ? config.typeVocabSize() : DEFAULT_TYPE_VOCAB_SIZE;
    return new Embeddings(
        Parameter.of(path + "word_embeddings.weight", config.vocabSize(), hidden),
        Parameter.of(path + "position_embeddings.weight", config.maxPositionEmbeddings(), hidden),
        Optional.of(Parameter.of(path + "token_type_embeddings.weight", types, hidden)),
        LayerNorm.at(path + "LayerNorm", hidden, config.layerNormEps()));
  }

  @Override
  public EncoderLayer layer(String prefix, int index, ModelConfig config, Activation activation) {
    String path = prefix + "encoder.layer." + index + ".";
    int hidden = config.hiddenSize();
    int intermediate = config.intermediateSize();
    double epsilon = config.layerNormEps();
    return new EncoderLayer(
        config.numAttentionHeads(),
        Linear.at(path + "attention.self.query", hidden, hidden),
        Linear.at(path + "attention.self.key", hidden, hidden),
        Linear.at(path + "attention.self.value", hidden, hidden),
        Linear.at(path + "attention.output.dense", hidden, hidden),
        LayerNorm.at(path + "attention.output.LayerNorm", hidden, epsilon),
        Linear.at(path + "intermediate.dense", hidden, intermediate),
        activation,
        Linear.at(path + "output.dense", intermediate, hidden),
        LayerNorm.at(path + "output.LayerNorm", hidden, epsilon));
  }

  @Override
  public Optional<HeadLayer> pooler(String prefix, ModelConfig config) {
    return Optional.of(preClassifier(prefix, config));
  }

  /** BERT classifies the pooled {@code [CLS]} state: the pooler is the pre-classifier. */
  @Override
  public HeadLayer preClassifier(String prefix, ModelConfig config) {
    return HeadLayer.of(poolerDense(prefix, config), Activation.TANH);
  }

  private static Linear poolerDense(String prefix, ModelConfig config) {
    return Linear.at(prefix + "pooler.dense", config.hiddenSize(), config.hiddenSize());
  }

  @Override
  public HeadLayer maskedLmTransform(ModelConfig config, Activation activation) {
    int hidden = config.hiddenSize();
    return new HeadLayer(
        Linear.at("cls.predictions.transform.dense", hidden, hidden),
        activation,
        Optional.of(LayerNorm.at("cls.predictions.transform.LayerNorm", hidden, config.layerNormEps())));
  }

  @Override
  public Parameter maskedLmBias(ModelConfig config) {
    return Parameter.of("cls.predictions.bias", config.vocabSize());
  }

  @Override
  public List<Parameter> ignorable(TaskHead task, String prefix, ModelConfig config) {
    int hidden = config.hiddenSize();
    List<Parameter> ignorable = new ArrayList<>();
    ignorable.add(Parameter.of(prefix + "embeddings.position_ids", 1, config.maxPositionEmbeddings()));
    if (task != TaskHead.BASE && task != TaskHead.SEQUENCE_CLASSIFICATION) {
      // Their base model has no pooler, but checkpoints saved from BertModel or BertForPreTraining do.
      ignorable.addAll(poolerDense(prefix, config).parameters());
    }
    if (task == TaskHead.MASKED_LM) {
      ignorable.add(Parameter.of("cls.predictions.decoder.weight", config.vocabSize(), hidden)); // tied: words
      ignorable.add(Parameter.of("cls.predictions.decoder.bias", config.vocabSize())); // tied: the bias
      // Google's original checkpoints (bert-base-uncased) are BertForPreTraining's: a next-sentence head too.
      ignorable.addAll(Linear.at("cls.seq_relationship", hidden, 2).parameters());
    }
    return List.copyOf(ignorable);
  }
}
