package dev.jtransformers.pipelines;

import dev.jtransformers.api.EncodeOptions;
import dev.jtransformers.api.Label;
import dev.jtransformers.api.Model;
import dev.jtransformers.api.ModelLoadException;
import dev.jtransformers.api.Pipeline;
import dev.jtransformers.api.Tensor;
import dev.jtransformers.heads.HeadRegistry;
import dev.jtransformers.heads.training.TrainedHeadFactory;
import dev.jtransformers.models.ModelResolver;
import dev.jtransformers.models.SentenceTransformersConfig;
import dev.jtransformers.spi.Head;
import dev.jtransformers.spi.PostProcessor;
import dev.jtransformers.tokenizer.wordpiece.WordPieceTokenizer;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Assembles pipelines from a {@link PipelineConfig}: resolves the model, loads its tokenizer, picks the backend,
 * chooses the head and post-processor, and applies the model's own defaults to options left unset. Thread-safe;
 * inject one or use {@link #fromServiceLoader()}.
 */
public final class PipelineFactory {
  /** The encoder every task runs on when no model is given. */
  public static final String DEFAULT_FEATURE_MODEL = "sentence-transformers/all-MiniLM-L6-v2";

  /** The head {@code text-classification} puts after the default encoder: NEGATIVE/POSITIVE, trained on SST-2. */
  public static final String DEFAULT_SENTIMENT_HEAD = "jtransformers/all-MiniLM-L6-v2-sst2-head";

  private final ModelLoader loader;

  @Inject
  public PipelineFactory(Backends backends, HeadRegistry heads, ModelResolver resolver) {
    this(new ModelLoader(backends, heads, resolver));
  }

  private PipelineFactory(ModelLoader loader) {
    this.loader = loader;
  }

  /** A factory over the backends and heads on the classpath and the default model cache. */
  public static PipelineFactory fromServiceLoader() {
    return new PipelineFactory(ModelLoader.fromServiceLoader());
  }

  /** The pipeline the configuration describes, typed by its task. */
  public Pipeline<?> create(PipelineConfig config) {
    return switch (config.task()) {
      case TEXT_CLASSIFICATION -> textClassification(config);
      case FEATURE_EXTRACTION -> featureExtraction(config);
    };
  }

  /** A text-classification pipeline. */
  public Pipeline<List<Label>> textClassification(PipelineConfig config) {
    requireTask(config, Task.TEXT_CLASSIFICATION);
    return assemble(withDefaultModel(config), (checkpoint, head) -> {
      List<String> labels = ModelLoader.labels(checkpoint, head);
      FunctionToApply function =
          config.functionToApply()
              .orElseGet(
                  () -> FunctionToApply.defaultFor(checkpoint.config().problemType().orElse(null), labels.size()));
      return new ClassificationPostProcessor(function, config.topK(), labels);
    });
  }

  /** A feature-extraction pipeline: pooled vectors, or token states when pooling is none. */
  public Pipeline<Tensor> featureExtraction(PipelineConfig config) {
    requireTask(config, Task.FEATURE_EXTRACTION);
    return assemble(withDefaultModel(config), (checkpoint, head) -> new FeaturePostProcessor());
  }

  private static void requireTask(PipelineConfig config, Task task) {
    if (config.task() != task) {
      throw new IllegalArgumentException("configuration is for task " + config.task() + ", not " + task);
    }
  }

  /** Chooses the post-processor once the head is known (a head may carry its own labels). */
  private interface PostProcessorChoice<O> {
    PostProcessor<O> choose(Checkpoint checkpoint, Head head);
  }

  /**
   * A configuration without a model gets the embedded default encoder, and for classification (unless it names a
   * head) the embedded sentiment head.
   */
  private PipelineConfig withDefaultModel(PipelineConfig config) {
    if (config.model().isPresent()) {
      return config;
    }
    PipelineConfig.Builder b = config.toBuilder().model(DEFAULT_FEATURE_MODEL);
    if (config.task() == Task.TEXT_CLASSIFICATION && config.head().isEmpty()) {
      Path head = loader.resolve(DEFAULT_SENTIMENT_HEAD);
      b.head(new PipelineConfig.HeadSpec(TrainedHeadFactory.NAME, Map.of("path", head.toString())));
    }
    return b.build();
  }

  private <O> Pipeline<O> assemble(PipelineConfig config, PostProcessorChoice<O> choice) {
    Checkpoint checkpoint = loader.checkpoint(config.model().orElseThrow());
    WordPieceTokenizer tokenizer = WordPieceTokenizer.load(checkpoint.directory());
    int maxLength = maxLength(config, checkpoint, tokenizer);
    Model model = loader.load(checkpoint, loadOptions(config));
    try {
      Head head = head(config, checkpoint, model);
      EncodeOptions encode =
          config.truncation()
              ? EncodeOptions.builder().truncation(EncodeOptions.Truncation.LONGEST_FIRST).maxLength(maxLength).build()
              : EncodeOptions.DEFAULT;
      return new TextPipeline<>(
          tokenizer,
          model,
          head,
          choice.choose(checkpoint, head),
          encode,
          maxLength,
          config.batchSize(),
          config.sortByLength());
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  private static LoadOptions loadOptions(PipelineConfig config) {
    LoadOptions.Builder options =
        LoadOptions.builder()
            .device(config.device())
            .intraOpThreads(config.intraOpThreads())
            .interOpThreads(config.interOpThreads());
    config.backend().ifPresent(options::backend);
    config.backendOptions().forEach(options::backendOption);
    return options.build();
  }

  /**
   * The most tokens per input: as configured, else sentence-transformers' {@code max_seq_length}, else the
   * tokenizer's {@code model_max_length}, else the model's {@code max_position_embeddings}.
   */
  private static int maxLength(PipelineConfig config, Checkpoint checkpoint, WordPieceTokenizer tokenizer) {
    if (config.maxLength().isPresent()) {
      return config.maxLength().getAsInt();
    }
    OptionalInt sentenceLength =
        checkpoint.sentenceConfig().map(SentenceTransformersConfig::maxSeqLength).orElse(OptionalInt.empty());
    if (sentenceLength.isPresent()) {
      return sentenceLength.getAsInt();
    }
    return tokenizer.modelMaxLength().orElse(checkpoint.config().maxPositionEmbeddings());
  }

  /**
   * The head: the one configured, else what the model calls for — the graph's own logits or a classification
   * head from its weights for classification; the sentence-transformers pooling (or token states) for features.
   */
  private Head head(PipelineConfig config, Checkpoint checkpoint, Model model) {
    if (config.head().isPresent()) {
      PipelineConfig.HeadSpec spec = config.head().get();
      return loader.head(spec.type(), checkpoint, spec.options());
    }
    return switch (config.task()) {
      case TEXT_CLASSIFICATION -> loader.classificationHead(checkpoint, model);
      case FEATURE_EXTRACTION -> poolingHead(config, checkpoint);
    };
  }

  /** The one pooling mode of a sentence-transformers model; combinations of modes are not supported. */
  private static PipelineConfig.Pooling singleMode(SentenceTransformersConfig.Pooling pooling) {
    if (pooling.modes().size() != 1) {
      throw new ModelLoadException("sentence-transformers pooling " + pooling.modes() + " combines modes; only one"
          + " of mean, cls, max is supported: set the pipeline's pooling explicitly");
    }
    SentenceTransformersConfig.PoolingMode mode = pooling.modes().iterator().next();
    return switch (mode) {
      case MEAN -> PipelineConfig.Pooling.MEAN;
      case CLS -> PipelineConfig.Pooling.CLS;
      case MAX -> PipelineConfig.Pooling.MAX;
      default -> throw new ModelLoadException(
          "sentence-transformers pooling mode " + mode + " is not supported; use mean, cls or max");
    };
  }

  private Head poolingHead(PipelineConfig config, Checkpoint checkpoint) {
    PipelineConfig.Pooling pooling =
        config.pooling()
            .orElseGet(() -> checkpoint.sentenceConfig()
                .flatMap(SentenceTransformersConfig::pooling)
                .map(PipelineFactory::singleMode)
                .orElse(PipelineConfig.Pooling.NONE));
    if (pooling == PipelineConfig.Pooling.NONE) {
      return loader.head("hidden-states", checkpoint, Map.of());
    }
    boolean normalize =
        config.normalize()
            .orElseGet(() -> checkpoint.sentenceConfig().map(SentenceTransformersConfig::normalize).orElse(false));
    return loader.head(
        "pooling", checkpoint, Map.of("pooling", pooling.toString(), "normalize", Boolean.toString(normalize)));
  }
}
