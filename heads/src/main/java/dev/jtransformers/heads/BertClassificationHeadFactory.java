package dev.jtransformers.heads;

import dev.jtransformers.architectures.Architecture;

/**
 * {@code bert-classification}: {@code BertForSequenceClassification}'s head, {@code classifier(tanh(
 * bert.pooler.dense([CLS])))}, for graphs that end at {@code last_hidden_state}.
 */
public final class BertClassificationHeadFactory extends HuggingFaceClassificationHeadFactory {
  public static final String NAME = "bert-classification";

  public BertClassificationHeadFactory() {
    super(NAME, Architecture.BERT);
  }
}
