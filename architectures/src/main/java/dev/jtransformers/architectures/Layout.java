package dev.jtransformers.architectures;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jtransformers.models.ModelConfig;
import java.util.List;
import java.util.Optional;

/**
 * How one architecture names and shapes its modules in a checkpoint. Module paths take a prefix: the base model's
 * attribute name and a dot in task models ({@code bert.}), empty in a bare base model.
 */
abstract class Layout {
  /** {@code BertConfig}'s {@code type_vocab_size} when a configuration leaves it out. */
  private static final int DEFAULT_TYPE_VOCAB_SIZE = 2;

  private final String baseModelPrefix;
  private final String classPrefix;
  private final boolean hasTokenTypes;
  private final LayerNames layerNames;
  private final MaskedLmNames maskedLmNames;

  /**
   * @param baseModelPrefix the attribute that holds the base model in a task model, Hugging Face's {@code
   *     base_model_prefix}
   * @param classPrefix the start of the Hugging Face class names, e.g. {@code Bert} of {@code BertForMaskedLM}
   * @param hasTokenTypes whether the embeddings add a token-type embedding (BERT's segments), so that the network
   *     takes token type ids
   */
  Layout(
      String baseModelPrefix,
      String classPrefix,
      boolean hasTokenTypes,
      LayerNames layerNames,
      MaskedLmNames maskedLmNames) {
    this.baseModelPrefix = baseModelPrefix;
    this.classPrefix = classPrefix;
    this.hasTokenTypes = hasTokenTypes;
    this.layerNames = layerNames;
    this.maskedLmNames = maskedLmNames;
  }

  final String baseModelPrefix() {
    return baseModelPrefix;
  }

  final String classPrefix() {
    return classPrefix;
  }

  /** Where each encoder layer keeps its modules. */
  final LayerNames layerNames() {
    return layerNames;
  }

  /** Where the masked-LM head keeps its modules. */
  final MaskedLmNames maskedLmNames() {
    return maskedLmNames;
  }

  /** The bare model's pooler over the {@code [CLS]} state, if the architecture has one. */
  abstract Optional<HeadLayer> pooler(String prefix, ModelConfig config);

  /** The layer between the {@code [CLS]} state and a sequence classifier's {@code classifier}. */
  abstract HeadLayer preClassifier(String prefix, ModelConfig config);

  /**
   * Tensors a checkpoint with this head may hold that the network does not read, besides the {@code position_ids}
   * buffer: copies of tied weights, layers of a wider model the head does not use.
   */
  abstract List<Parameter> ignorable(TaskHead task, String prefix, ModelConfig config);

  /** The dropout {@code config} sets for this architecture's modules with head {@code task}. */
  abstract DropoutRates dropout(TaskHead task, ModelConfig config);

  /** A rate {@code config} sets under {@code key}, or the default Hugging Face's configuration class has. */
  static double rate(ModelConfig config, String key, double defaultRate) {
    return config.get(key).filter(JsonNode::isNumber).map(JsonNode::asDouble).orElse(defaultRate);
  }

  /** The embeddings, named alike in both architectures. */
  final Embeddings embeddings(String prefix, ModelConfig config) {
    String path = prefix + "embeddings.";
    int hidden = config.hiddenSize();
    int types = config.typeVocabSize() > 0 ? config.typeVocabSize() : DEFAULT_TYPE_VOCAB_SIZE;
    return new Embeddings(
        Parameter.of(path + "word_embeddings.weight", config.vocabSize(), hidden),
        Parameter.of(path + "position_embeddings.weight", config.maxPositionEmbeddings(), hidden),
        hasTokenTypes
            ? Optional.of(Parameter.of(path + "token_type_embeddings.weight", types, hidden))
            : Optional.empty(),
        LayerNorm.at(path + "LayerNorm", hidden, config.layerNormEps()));
  }

  /** The buffer of position indices that {@code transformers} before 4.31 saved with the embeddings. */
  final Parameter positionIds(String prefix, ModelConfig config) {
    return Parameter.of(prefix + "embeddings.position_ids", 1, config.maxPositionEmbeddings());
  }
}
