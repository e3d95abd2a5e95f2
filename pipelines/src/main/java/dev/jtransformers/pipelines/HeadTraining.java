package dev.jtransformers.pipelines;

import dev.jtransformers.api.Pipeline;
import dev.jtransformers.api.Tensor;
import dev.jtransformers.api.TextInput;
import dev.jtransformers.heads.training.HeadTrainer;
import dev.jtransformers.heads.training.PhraseGroups;
import dev.jtransformers.heads.training.TrainedHead;
import dev.jtransformers.heads.training.TrainingOptions;
import dev.jtransformers.pipelines.tasks.FeatureExtraction;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.IntConsumer;

/**
 * Trains a classification head on a frozen encoder: the encoder's pooled vectors for the labelled texts are
 * computed once (and cached on disk, keyed by model and data), then {@link HeadTrainer} fits the head. The saved
 * head is used with {@code PipelineConfig.HeadSpec("trained", Map.of("path", dir))} or the CLI's {@code --head}.
 */
public final class HeadTraining {
  /** Inputs embedded between two progress reports. */
  private static final int CHUNK = 1024;

  private final PipelineFactory factory;
  private final FeatureCache cache;

  /**
   * @param factory builds the encoder's feature-extraction pipeline
   * @param cache where computed vectors are kept between runs
   */
  public HeadTraining(PipelineFactory factory, FeatureCache cache) {
    this.factory = Objects.requireNonNull(factory, "factory");
    this.cache = Objects.requireNonNull(cache, "cache");
  }

  /**
   * Trains a head.
   *
   * @param model the encoder's id or directory
   * @param train the training examples
   * @param validation validation examples, or {@code null} to hold out {@link TrainingOptions#validationFraction()}
   *     of {@code train}, in whole groups of a sentence and its phrases ({@link PhraseGroups})
   * @param options the head's shape and hyper-parameters; its labels name, in order, the data's label values as
   *     {@link LabelledData#labelNames()} orders them
   * @param progress told how many inputs were embedded, after each chunk
   */
  public TrainedHead train(
      String model, LabelledData train, LabelledData validation, TrainingOptions options, IntConsumer progress) {
    List<String> labelValues = train.labelNames();
    if (options.labels().size() != labelValues.size()) {
      throw new IllegalArgumentException(
          "the data has " + labelValues.size() + " labels " + labelValues + " but " + options.labels().size()
              + " label names were given " + options.labels());
    }
    PipelineConfig<Tensor> encoder =
        PipelineConfig.builder(FeatureExtraction.TASK)
            .model(model)
            .option(FeatureExtraction.POOLING, Optional.of(options.pooling()))
            .option(FeatureExtraction.NORMALIZE, options.normalize())
            .build();
    try (Pipeline<Tensor> pipeline = factory.create(encoder)) {
      float[][] trainFeatures = features(pipeline, encoder, train.inputs(), progress);
      if (validation == null) {
        return HeadTrainer.train(trainFeatures, train.labelIds(labelValues), groups(train), options);
      }
      float[][] validationFeatures = features(pipeline, encoder, validation.inputs(), progress);
      return HeadTrainer.train(
          trainFeatures,
          train.labelIds(labelValues),
          validationFeatures,
          validation.labelIds(labelValues),
          groups(validation),
          options);
    }
  }

  /** Groups by text; a pair is one text, its two parts kept apart by a token no text holds. */
  private static PhraseGroups groups(LabelledData data) {
    return PhraseGroups.of(
        data.inputs().stream().map(input -> input.isPair() ? input.text() + " \0 " + input.textPair() : input.text())
            .toList());
  }

  private float[][] features(
      Pipeline<Tensor> pipeline, PipelineConfig<Tensor> encoder, List<TextInput> inputs, IntConsumer progress) {
    return cache.computeIfAbsent(
        encoder,
        inputs,
        () -> {
          float[][] vectors = new float[inputs.size()][];
          for (int start = 0; start < inputs.size(); start += CHUNK) {
            List<Tensor> chunk = pipeline.applyAll(inputs.subList(start, Math.min(start + CHUNK, inputs.size())));
            for (int i = 0; i < chunk.size(); i++) {
              vectors[start + i] = chunk.get(i).toFloatArray();
            }
            progress.accept(chunk.size());
          }
          return vectors;
        });
  }
}
