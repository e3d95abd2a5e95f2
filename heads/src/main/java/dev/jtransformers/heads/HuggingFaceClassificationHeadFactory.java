package dev.jtransformers.heads;

import dev.jtransformers.architectures.Architecture;
import dev.jtransformers.architectures.CheckpointValidator;
import dev.jtransformers.architectures.HeadLayer;
import dev.jtransformers.architectures.HeadSpec;
import dev.jtransformers.architectures.TaskHead;
import dev.jtransformers.models.ModelConfig;
import dev.jtransformers.models.Pooling;
import dev.jtransformers.models.safetensors.SafetensorsFile;
import dev.jtransformers.spi.Head;
import dev.jtransformers.spi.HeadContext;
import dev.jtransformers.spi.HeadFactory;
import java.util.Set;

/**
 * A Hugging Face {@code *ForSequenceClassification} head read from the model directory's {@code
 * model.safetensors}: the {@code [CLS]} state through the layers the {@linkplain Architecture#head architecture
 * description} names (a pre-classifier layer and its activation, then {@code classifier}). Shapes are checked
 * against {@code config.json}'s hidden size and labels.
 */
abstract class HuggingFaceClassificationHeadFactory implements HeadFactory {
  private static final String WEIGHTS_FILE = "model.safetensors";

  private final String name;
  private final Architecture architecture;

  HuggingFaceClassificationHeadFactory(String name, Architecture architecture) {
    this.name = name;
    this.architecture = architecture;
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
    HeadSpec head = architecture.head(TaskHead.SEQUENCE_CLASSIFICATION, config);
    try (SafetensorsFile weights = SafetensorsFile.open(context.modelDirectory().resolve(WEIGHTS_FILE))) {
      CheckpointValidator.requireParameters(weights, head.parameters());
      return new ClassificationHead(
          new PoolingHead(Pooling.CLS, false),
          head.layers().stream().map(layer -> denseLayer(weights, layer)).toList());
    }
  }

  private static DenseLayer denseLayer(SafetensorsFile weights, HeadLayer layer) {
    return DenseLayer.of(
        weights.getFloat(layer.linear().weight().name()),
        weights.getFloat(layer.linear().bias().name()),
        activation(layer.activation()));
  }

  /** The activations of sequence-classification heads, which never use GELU. */
  static Activation activation(dev.jtransformers.architectures.Activation activation) {
    return switch (activation) {
      case IDENTITY -> Activation.IDENTITY;
      case RELU -> Activation.RELU;
      case TANH -> Activation.TANH;
      case GELU -> throw new IllegalStateException("a sequence-classification head has no GELU layer");
    };
  }
}
