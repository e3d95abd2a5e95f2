package dev.jtransformers.pipelines;

import dev.jtransformers.api.EncodeOptions;
import dev.jtransformers.api.Encoding;
import dev.jtransformers.api.InvalidInputException;
import dev.jtransformers.api.Model;
import dev.jtransformers.api.ModelLoadException;
import dev.jtransformers.api.TextInput;
import dev.jtransformers.architectures.TaskHead;
import dev.jtransformers.api.Tokenizer;
import dev.jtransformers.heads.HeadRegistry;
import dev.jtransformers.heads.AdapterClassificationHeadFactory;
import dev.jtransformers.heads.training.TrainedHeadFactory;
import dev.jtransformers.models.ModelConfig;
import dev.jtransformers.models.ModelResolver;
import dev.jtransformers.models.SentenceTransformersConfig;
import dev.jtransformers.pipelines.spi.DefaultModel;
import dev.jtransformers.pipelines.spi.TaskContext;
import dev.jtransformers.pipelines.spi.TaskOption;
import dev.jtransformers.spi.Head;
import dev.jtransformers.tokenizer.ComposedTokenizer;
import dev.jtransformers.tokenizer.Tokenizers;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Assembles pipelines from a {@link PipelineConfig}, the same way for every task: resolves the model (the task's
 * default when none is named), loads its tokenizer, picks the backend and loads the network, and lets the task build
 * its processor around them. Thread-safe; inject one or use {@link #fromServiceLoader()}.
 */
public final class PipelineFactory {
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

  /**
   * The pipeline the configuration describes.
   *
   * @throws dev.jtransformers.api.ModelLoadException if the model or head can't be read, or can't do the task
   * @throws dev.jtransformers.api.BackendException if no backend can run the model on the device
   */
  public <O> TaskPipeline<O> create(PipelineConfig<O> config) {
    PipelineConfig<O> resolved = withAdapterHead(withDefaultModel(config));
    LoadOptions loadOptions = loadOptions(resolved);
    Checkpoint checkpoint = loader.checkpoint(resolved.model().orElseThrow(), loadOptions);
    ComposedTokenizer tokenizer = Tokenizers.load(checkpoint.directory());
    requireVocabulary(checkpoint, tokenizer);
    int maxLength = maxLength(resolved, checkpoint, tokenizer);
    Model model = loader.load(checkpoint, loadOptions);
    try {
      Context context = new Context(resolved, checkpoint, tokenizer, model, maxLength);
      return new ChunkPipeline<>(resolved.task(), resolved.options(), tokenizer, model,
          resolved.task().processor(context), BatchPolicy.of(resolved, model), maxLength);
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  /**
   * A configuration without a model gets the task's default model, and that model's trained head or adapter unless
   * the configuration names a head.
   *
   * @throws IllegalArgumentException if the task has no default model
   */
  private <O> PipelineConfig<O> withDefaultModel(PipelineConfig<O> config) {
    if (config.model().isPresent()) {
      return config;
    }
    DefaultModel defaults =
        config.task().defaultModel().orElseThrow(() -> new IllegalArgumentException(
            "task " + config.task().name() + " has no default model (none ships with this project); give one:"
                + " PipelineConfig.builder(task).model(\"DIR\"), 'model: DIR' in a config file, or --model DIR"));
    PipelineConfig.Builder<O> b = config.toBuilder().model(defaults.model());
    // The default adapter comes with its own classifier: a head the configuration names reads the plain encoder.
    defaults.adapter().filter(adapter -> config.loadOptions().adapter().isEmpty() && config.head().isEmpty())
        .ifPresent(b::adapter);
    defaults.trainedHead()
        .filter(head -> config.head().isEmpty())
        .ifPresent(head -> b.head(new PipelineConfig.HeadSpec(TrainedHeadFactory.NAME, Map.of("path", head))));
    return b.build();
  }

  /** A sequence-classification adapter classifies with its own head unless the configuration names another. */
  private static <O> PipelineConfig<O> withAdapterHead(PipelineConfig<O> config) {
    Optional<String> adapter = config.loadOptions().adapter();
    if (adapter.isEmpty() || config.head().isPresent()) {
      return config;
    }
    return config.toBuilder()
        .head(new PipelineConfig.HeadSpec(AdapterClassificationHeadFactory.NAME, Map.of("path", adapter.get())))
        .build();
  }

  private static LoadOptions loadOptions(PipelineConfig<?> config) {
    LoadOptions options = config.loadOptions();
    // Batches side by side each get one engine thread unless the configuration says otherwise.
    return options.intraOpThreads() == 0 && config.parallelBatches().orElse(1) > 1
        ? options.toBuilder().intraOpThreads(1).build()
        : options;
  }

  /**
   * Token ids past the model's {@code vocab_size} would index outside its embedding table: a tokenizer of another
   * model is refused before any text reaches the network.
   */
  private static void requireVocabulary(Checkpoint checkpoint, Tokenizer tokenizer) {
    int vocabSize = checkpoint.config().vocabSize();
    if (tokenizer.vocabSize() > vocabSize) {
      throw new ModelLoadException("the tokenizer in " + checkpoint.directory() + " has " + tokenizer.vocabSize()
          + " tokens but config.json's vocab_size is " + vocabSize + ": the tokenizer belongs to another model");
    }
  }

  /**
   * The most tokens per chunk: as configured, else sentence-transformers' {@code max_seq_length}, else the
   * tokenizer's {@code model_max_length}, else the model's {@code max_position_embeddings}; never more positions
   * than the model has.
   *
   * @throws IllegalArgumentException if the configured length exceeds the model's positions
   * @throws ModelLoadException naming the file, if a model file asks for more positions than config.json gives
   */
  private static int maxLength(PipelineConfig<?> config, Checkpoint checkpoint, ComposedTokenizer tokenizer) {
    int positions = checkpoint.config().maxPositionEmbeddings();
    if (config.maxLength().isPresent()) {
      int maxLength = config.maxLength().getAsInt();
      if (maxLength > positions) {
        throw new IllegalArgumentException("max_length " + maxLength + " exceeds the " + positions
            + " positions of the model in " + checkpoint.directory());
      }
      return maxLength;
    }
    OptionalInt sentenceLength =
        checkpoint.sentenceConfig().map(SentenceTransformersConfig::maxSeqLength).orElse(OptionalInt.empty());
    if (sentenceLength.isPresent()) {
      return withinPositions(sentenceLength.getAsInt(), "max_seq_length of sentence_bert_config.json", checkpoint);
    }
    return tokenizer.modelMaxLength().isPresent()
        ? withinPositions(tokenizer.modelMaxLength().getAsInt(), "model_max_length of tokenizer_config.json",
            checkpoint)
        : positions;
  }

  private static int withinPositions(int maxLength, String source, Checkpoint checkpoint) {
    int positions = checkpoint.config().maxPositionEmbeddings();
    if (maxLength > positions) {
      throw new ModelLoadException("the " + source + " in " + checkpoint.directory() + " is " + maxLength
          + " but config.json's max_position_embeddings is " + positions + "; longer inputs would index past the"
          + " position table");
    }
    return maxLength;
  }

  /** What a task sees while its pipeline is assembled. */
  private final class Context implements TaskContext {
    private final PipelineConfig<?> config;
    private final Checkpoint checkpoint;
    private final Tokenizer tokenizer;
    private final Model model;
    private final int maxLength;
    private final EncodeOptions encodeOptions;

    Context(PipelineConfig<?> config, Checkpoint checkpoint, Tokenizer tokenizer, Model model, int maxLength) {
      this.config = config;
      this.checkpoint = checkpoint;
      this.tokenizer = tokenizer;
      this.model = model;
      this.maxLength = maxLength;
      this.encodeOptions =
          config.truncation()
              ? EncodeOptions.builder().truncation(EncodeOptions.Truncation.LONGEST_FIRST).maxLength(maxLength).build()
              : EncodeOptions.DEFAULT;
    }

    @Override
    public Path modelDirectory() {
      return checkpoint.directory();
    }

    @Override
    public ModelConfig config() {
      return checkpoint.config();
    }

    @Override
    public Optional<SentenceTransformersConfig> sentenceConfig() {
      return checkpoint.sentenceConfig();
    }

    @Override
    public Tokenizer tokenizer() {
      return tokenizer;
    }

    @Override
    public Set<String> modelOutputs() {
      return model.outputNames();
    }

    @Override
    public <T> Optional<T> option(TaskOption<T> option) {
      return config.option(option);
    }

    @Override
    public Optional<Head> configuredHead() {
      return config.head().map(spec -> loader.head(spec.type(), checkpoint, spec.options()));
    }

    @Override
    public Head head(String factory, Map<String, String> options) {
      return loader.head(factory, checkpoint, options);
    }

    @Override
    public Head classificationHead() {
      return loader.classificationHead(checkpoint, model);
    }

    @Override
    public void requireHead(TaskHead head) {
      ModelLoader.requireHead(checkpoint, model, head, "task " + config.task().name());
    }

    @Override
    public List<String> labels(Head head) {
      return ModelLoader.labels(checkpoint, head);
    }

    @Override
    public EncodeOptions encodeOptions() {
      return encodeOptions;
    }

    @Override
    public int maxLength() {
      return maxLength;
    }

    @Override
    public Encoding encode(TextInput input) {
      Encoding encoding = tokenizer.encode(input, encodeOptions);
      if (encoding.length() > maxLength) {
        throw new InvalidInputException("has " + encoding.length() + " tokens but the model takes at most "
            + maxLength + "; enable truncation or shorten the text");
      }
      return encoding;
    }
  }
}
