package dev.jtransformers.architectures;

import dev.jtransformers.models.ModelConfig;
import java.util.List;
import java.util.Optional;

/**
 * DistilBERT's names ({@code DistilBertModel} and its task models), as Hugging Face {@code transformers} saves
 * them. DistilBERT has no token types and no pooler.
 */
final class DistilBertLayout extends Layout {
  private static final LayerNames LAYER_NAMES =
      new LayerNames(
          "transformer.layer.",
          "attention.q_lin",
          "attention.k_lin",
          "attention.v_lin",
          "attention.out_lin",
          "sa_layer_norm",
          "ffn.lin1",
          "ffn.lin2",
          "output_layer_norm");
  private static final MaskedLmNames MASKED_LM_NAMES =
      new MaskedLmNames("vocab_transform", "vocab_layer_norm", "vocab_projector.bias");

  DistilBertLayout() {
    super("distilbert", "DistilBert", false, LAYER_NAMES, MASKED_LM_NAMES);
  }

  @Override
  Optional<HeadLayer> pooler(String prefix, ModelConfig config) {
    return Optional.empty();
  }

  @Override
  HeadLayer preClassifier(String prefix, ModelConfig config) {
    return HeadLayer.of(Linear.at("pre_classifier", config.hiddenSize(), config.hiddenSize()), Activation.RELU);
  }

  /** {@code DistilBertConfig}: no dropout after the attention's output projection. */
  @Override
  DropoutRates dropout(TaskHead task, ModelConfig config) {
    double hidden = rate(config, "dropout", 0.1);
    double head =
        switch (task) {
          case SEQUENCE_CLASSIFICATION -> rate(config, "seq_classif_dropout", 0.2);
          case TOKEN_CLASSIFICATION -> hidden;
          case QUESTION_ANSWERING -> rate(config, "qa_dropout", 0.1);
          case BASE, MASKED_LM -> 0;
        };
    return new DropoutRates(hidden, rate(config, "attention_dropout", 0.1), 0, hidden, head);
  }

  @Override
  List<Parameter> ignorable(TaskHead task, String prefix, ModelConfig config) {
    return task == TaskHead.MASKED_LM
        ? List.of(Parameter.of("vocab_projector.weight", config.vocabSize(), config.hiddenSize())) // tied: words
        : List.of();
  }
}
