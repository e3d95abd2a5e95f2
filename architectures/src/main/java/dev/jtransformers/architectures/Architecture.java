package dev.jtransformers.architectures;

import dev.jtransformers.api.ModelLoadException;
import dev.jtransformers.models.ModelConfig;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/** The encoder families this module describes, by the {@code model_type} of their {@code config.json}. */
public enum Architecture {
  BERT("bert", new BertLayout()),
  DISTILBERT("distilbert", new DistilBertLayout());

  /** Question answering scores every token twice: as the answer's start and as its end. */
  private static final int QUESTION_ANSWERING_OUTPUTS = 2;

  private final String modelType;
  private final Layout layout;

  Architecture(String modelType, Layout layout) {
    this.modelType = modelType;
    this.layout = layout;
  }

  /**
   * The architecture of {@code config}'s {@code model_type}.
   *
   * @throws ModelLoadException naming the type and the supported ones, if it is none of these
   */
  public static Architecture of(ModelConfig config) {
    return Arrays.stream(values())
        .filter(a -> a.modelType.equals(config.modelType()))
        .findFirst()
        .orElseThrow(
            () ->
                new ModelLoadException(
                    "config.json: model_type '"
                        + config.modelType()
                        + "' is not supported; supported: "
                        + Arrays.stream(values()).map(Architecture::modelType).toList()));
  }

  /** The {@code model_type} of this architecture's configurations, e.g. {@code distilbert}. */
  public String modelType() {
    return modelType;
  }

  /**
   * The prefix of the encoder's tensor names in a checkpoint with this head: {@code bert.} or {@code distilbert.}
   * in task models, none in a bare base model (all-MiniLM-L6-v2's {@code embeddings.word_embeddings.weight}).
   */
  public String checkpointPrefix(TaskHead task) {
    return task == TaskHead.BASE ? "" : layout.baseModelPrefix() + ".";
  }

  /** The Hugging Face class of this architecture with this head, e.g. {@code DistilBertForTokenClassification}. */
  public String className(TaskHead task) {
    return layout.classPrefix() + task.classSuffix();
  }

  /**
   * A head's layers, named as a checkpoint of {@link #className this class} names them and sized by {@code
   * config}; for code that reads a head without the encoder under it.
   *
   * @throws ModelLoadException if the head needs {@code hidden_act} (masked LM) and it is not supported
   */
  public HeadSpec head(TaskHead task, ModelConfig config) {
    Objects.requireNonNull(task, "task");
    String prefix = checkpointPrefix(task);
    int hidden = config.hiddenSize();
    return switch (task) {
      case BASE -> layout
          .pooler(prefix, config)
          .map(pooler -> new HeadSpec(task, true, List.of(pooler)))
          .orElseGet(() -> new HeadSpec(task, false, List.of()));
      case SEQUENCE_CLASSIFICATION -> new HeadSpec(
          task, true, List.of(layout.preClassifier(prefix, config), classifier(hidden, config.numLabels())));
      case TOKEN_CLASSIFICATION -> new HeadSpec(task, false, List.of(classifier(hidden, config.numLabels())));
      case QUESTION_ANSWERING -> new HeadSpec(
          task,
          false,
          List.of(HeadLayer.of(Linear.at("qa_outputs", hidden, QUESTION_ANSWERING_OUTPUTS), Activation.IDENTITY)));
      case MASKED_LM -> new HeadSpec(
          task,
          false,
          layout
              .maskedLmNames()
              .layers(
                  config,
                  Activation.fromHiddenAct(config.hiddenAct()),
                  layout.embeddings(prefix, config).words()));
    };
  }

  private static HeadLayer classifier(int hidden, int labels) {
    return HeadLayer.of(Linear.at("classifier", hidden, labels), Activation.IDENTITY);
  }

  Layout layout() {
    return layout;
  }
}
