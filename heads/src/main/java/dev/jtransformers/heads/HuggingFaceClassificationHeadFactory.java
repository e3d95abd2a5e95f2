package dev.jtransformers.heads;

import dev.jtransformers.models.ModelConfig;
import dev.jtransformers.models.Pooling;
import dev.jtransformers.models.safetensors.SafetensorsFile;
import dev.jtransformers.spi.Head;
import dev.jtransformers.spi.HeadContext;
import dev.jtransformers.spi.HeadFactory;
import java.util.List;
import java.util.Set;

/**
 * A Hugging Face {@code *ForSequenceClassification} head read from the model directory's {@code
 * model.safetensors}: the {@code [CLS]} state through a pre-classifier layer and its activation, then the
 * {@code classifier} layer. Shapes are checked against {@code config.json}'s hidden size and labels.
 */
abstract class HuggingFaceClassificationHeadFactory implements HeadFactory {
  private static final String WEIGHTS_FILE = "model.safetensors";

  private final String name;
  private final String preClassifier;
  private final Activation preClassifierActivation;

  /** @param preClassifier the tensor-name prefix of the layer before the classifier */
  HuggingFaceClassificationHeadFactory(String name, String preClassifier, Activation preClassifierActivation) {
    this.name = name;
    this.preClassifier = preClassifier;
    this.preClassifierActivation = preClassifierActivation;
  }

  @Override
  public final String name() {
    return name;
  }

  /** @throws dev.jtransformers.api.ModelLoadException naming the file, if the weights or config can't be read */
  @Override
  public final Head create(HeadContext context) {
    HeadOptions.of(name, context, Set.of());
    ModelConfig config = ModelConfig.load(context.modelDirectory());
    int hidden = config.hiddenSize();
    try (SafetensorsFile weights = SafetensorsFile.open(context.modelDirectory().resolve(WEIGHTS_FILE))) {
      return new ClassificationHead(
          new PoolingHead(Pooling.CLS, false),
          List.of(
              DenseLayer.read(weights, preClassifier, hidden, hidden, preClassifierActivation),
              DenseLayer.read(weights, "classifier", hidden, config.numLabels(), Activation.IDENTITY)));
    }
  }
}
