package dev.jtransformers.architectures;

import dev.jtransformers.models.ModelConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** BERT's names ({@code BertModel} and its task models), as Hugging Face {@code transformers} saves them. */
final class BertLayout extends Layout {
  private static final LayerNames LAYER_NAMES =
      new LayerNames(
          "encoder.layer.",
          "attention.self.query",
          "attention.self.key",
          "attention.self.value",
          "attention.output.dense",
          "attention.output.LayerNorm",
          "intermediate.dense",
          "output.dense",
          "output.LayerNorm");
  private static final MaskedLmNames MASKED_LM_NAMES =
      new MaskedLmNames(
          "cls.predictions.transform.dense", "cls.predictions.transform.LayerNorm", "cls.predictions.bias");

  BertLayout() {
    super("bert", "Bert", true, LAYER_NAMES, MASKED_LM_NAMES);
  }

  @Override
  Optional<HeadLayer> pooler(String prefix, ModelConfig config) {
    return Optional.of(preClassifier(prefix, config));
  }

  /** BERT classifies the pooled {@code [CLS]} state: the pooler is the pre-classifier. */
  @Override
  HeadLayer preClassifier(String prefix, ModelConfig config) {
    return HeadLayer.of(poolerDense(prefix, config), Activation.TANH);
  }

  private static Linear poolerDense(String prefix, ModelConfig config) {
    return Linear.at(prefix + "pooler.dense", config.hiddenSize(), config.hiddenSize());
  }

  /** {@code BertConfig}: {@code hidden_dropout_prob} everywhere but the attention probabilities. */
  @Override
  DropoutRates dropout(TaskHead task, ModelConfig config) {
    double hidden = rate(config, "hidden_dropout_prob", 0.1);
    double head =
        switch (task) {
          case SEQUENCE_CLASSIFICATION, TOKEN_CLASSIFICATION -> rate(config, "classifier_dropout", hidden);
          case BASE, QUESTION_ANSWERING, MASKED_LM -> 0;
        };
    return new DropoutRates(hidden, rate(config, "attention_probs_dropout_prob", 0.1), hidden, hidden, head);
  }

  @Override
  List<Parameter> ignorable(TaskHead task, String prefix, ModelConfig config) {
    int hidden = config.hiddenSize();
    List<Parameter> ignorable = new ArrayList<>();
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
