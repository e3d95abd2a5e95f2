package dev.jtransformers.heads;

import dev.jtransformers.architectures.Architecture;

/**
 * {@code distilbert-classification}: {@code DistilBertForSequenceClassification}'s head, {@code classifier(relu(
 * pre_classifier([CLS])))}, for graphs that end at {@code last_hidden_state}.
 */
public final class DistilBertClassificationHeadFactory extends HuggingFaceClassificationHeadFactory {
  public static final String NAME = "distilbert-classification";

  public DistilBertClassificationHeadFactory() {
    super(NAME, Architecture.DISTILBERT);
  }
}
