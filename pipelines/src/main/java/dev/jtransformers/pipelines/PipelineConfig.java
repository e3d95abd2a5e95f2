package dev.jtransformers.pipelines;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jtransformers.api.Device;
import dev.jtransformers.pipelines.spi.Task;
import dev.jtransformers.pipelines.spi.TaskOption;
import dev.jtransformers.pipelines.spi.TaskOptions;
import dev.jtransformers.spi.ModelFormat;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Everything that defines a pipeline: its task and the task's options, the model, backend and device, the head, and
 * batching. The one description behind every way of assembling a pipeline — the Java {@link #builder}, a JSON or
 * YAML file ({@link PipelineConfigCodec}), Guice ({@link PipelineModule}) and the CLI — so they give the same result.
 *
 * <p>Unset options take the model's own defaults when the pipeline is built (e.g. pooling from its
 * sentence-transformers config, the function to apply from its {@code problem_type}). Immutable.
 *
 * @param <O> the result of the task for one input
 */
public final class PipelineConfig<O> {
  /** The default number of chunks run through the model at once. */
  public static final int DEFAULT_BATCH_SIZE = 32;

  /**
   * The default most tokens per model call, padding included: 32 chunks of up to 16 tokens, 4 of 128, 2 of 256.
   * Longer inputs run in fewer chunks per call, so every batch is about as wide in tokens as a CPU runs best: one
   * whose activations stay in a core's cache (MiniLM on one core ran long inputs 1.15-1.2x faster at 512 than at
   * 2,048, short sentences 1.2x). A GPU wants far wider batches: raise it there.
   */
  public static final int DEFAULT_MAX_BATCH_TOKENS = 512;

  private final Task<O> task;
  private final TaskOptions options;
  private final String model;
  private final LoadOptions loading;
  private final int batchSize;
  private final int maxBatchTokens;
  private final Integer parallelBatches;
  private final Integer maxLength;
  private final boolean truncation;
  private final boolean sortByLength;
  private final HeadSpec head;

  /**
   * A head chosen by the name of its {@link dev.jtransformers.spi.HeadFactory}, with its options.
   *
   * @param type the factory's name
   * @param options the head's options
   */
  public record HeadSpec(String type, Map<String, String> options) {
    public HeadSpec {
      Objects.requireNonNull(type, "type");
      options = Map.copyOf(options);
    }
  }

  private PipelineConfig(Builder<O> b) {
    this.task = b.task;
    this.options = b.options.build();
    this.model = b.model;
    this.loading = b.loading.build();
    this.batchSize = b.batchSize;
    this.maxBatchTokens = b.maxBatchTokens;
    this.parallelBatches = b.parallelBatches;
    this.maxLength = b.maxLength;
    this.truncation = b.truncation;
    this.sortByLength = b.sortByLength;
    this.head = b.head;
  }

  /** A builder for a pipeline of this task, e.g. {@code PipelineConfig.builder(TextClassification.TASK)}. */
  public static <O> Builder<O> builder(Task<O> task) {
    return new Builder<>(task);
  }

  /** A builder holding this configuration, to change some of it. */
  public Builder<O> toBuilder() {
    Builder<O> b = new Builder<>(task);
    b.options = options.toBuilder(task);
    b.model = model;
    b.loading = loading.toBuilder();
    b.batchSize = batchSize;
    b.maxBatchTokens = maxBatchTokens;
    b.parallelBatches = parallelBatches;
    b.maxLength = maxLength;
    b.truncation = truncation;
    b.sortByLength = sortByLength;
    b.head = head;
    return b;
  }

  /**
   * Reads a configuration file (JSON, or YAML if its name ends in {@code .yaml}/{@code .yml}) whose task is one on the
   * classpath; {@link PipelineConfigCodec} reads with a registry of your choice.
   *
   * @throws dev.jtransformers.api.ModelLoadException naming the file and the key, if it is missing or malformed
   */
  public static PipelineConfig<?> load(Path file) {
    return PipelineConfigCodec.fromServiceLoader().load(file);
  }

  public Task<O> task() {
    return task;
  }

  /** The task's options set explicitly; the others read as their defaults. */
  public TaskOptions options() {
    return options;
  }

  /** The value of one of the task's options: set, else its default; empty when the model decides. */
  public <T> Optional<T> option(TaskOption<T> option) {
    return options.get(option);
  }

  /** The model id or directory; empty for the task's default model. */
  public Optional<String> model() {
    return Optional.ofNullable(model);
  }

  /**
   * How the model loads: backend, format, device, LoRA adapter, engine threads and backend options, as {@link
   * AutoModel} takes them. Their {@link LoadOptions#head()} is unset: a pipeline's head is {@link #head()}. A
   * sequence-classification adapter classifies with its own head unless a head is given.
   */
  public LoadOptions loadOptions() {
    return loading;
  }

  /** The most chunks per model call. */
  public int batchSize() {
    return batchSize;
  }

  /**
   * The most tokens per model call, padding included (chunks × the longest of them), as Text Embeddings Inference's
   * {@code max_batch_tokens}: a batch is cut at whichever of this and {@link #batchSize()} comes first. A chunk longer
   * than this runs alone.
   */
  public int maxBatchTokens() {
    return maxBatchTokens;
  }

  /**
   * How many batches run through the model at once, each on its own thread ({@code parallel_batches}); empty for the
   * model's choice ({@link dev.jtransformers.api.Model#concurrentCalls()}: on ONNX Runtime's CPU, as many as its
   * threads, which the batches share; elsewhere one). Set, each batch gets one engine thread unless {@link
   * LoadOptions#intraOpThreads()} is set too: batches side by side keep every core busy without the engine's threads
   * waiting on each other inside every operator, which pays most on short inputs. A call of fewer batches than this
   * uses fewer threads; a call of one batch runs it on the caller's thread with all the engine's threads.
   */
  public OptionalInt parallelBatches() {
    return parallelBatches == null ? OptionalInt.empty() : OptionalInt.of(parallelBatches);
  }

  /** The most tokens per chunk; empty for the model's own limit. */
  public OptionalInt maxLength() {
    return maxLength == null ? OptionalInt.empty() : OptionalInt.of(maxLength);
  }

  /** Whether over-long inputs are truncated (keeping the final {@code [SEP]}) rather than rejected. */
  public boolean truncation() {
    return truncation;
  }

  /** Whether chunks are sorted by length before batching (results keep input order either way). */
  public boolean sortByLength() {
    return sortByLength;
  }

  /** An explicitly chosen head; empty for the task's choice. */
  public Optional<HeadSpec> head() {
    return Optional.ofNullable(head);
  }


  @Override
  public boolean equals(Object o) {
    return o instanceof PipelineConfig<?> other
        && task.name().equals(other.task.name())
        && options.equals(other.options)
        && Objects.equals(model, other.model)
        && loading.equals(other.loading)
        && batchSize == other.batchSize
        && maxBatchTokens == other.maxBatchTokens
        && Objects.equals(parallelBatches, other.parallelBatches)
        && Objects.equals(maxLength, other.maxLength)
        && truncation == other.truncation
        && sortByLength == other.sortByLength
        && Objects.equals(head, other.head);
  }

  @Override
  public int hashCode() {
    return Objects.hash(task.name(), options, model, loading, batchSize, maxLength, truncation, head);
  }

  @Override
  public String toString() {
    return "PipelineConfig{task=" + task.name() + ", options=" + options + ", model=" + model + ", loading=" + loading
        + ", batchSize=" + batchSize + ", maxBatchTokens=" + maxBatchTokens + ", parallelBatches=" + parallelBatches
        + ", maxLength=" + maxLength + ", truncation=" + truncation + ", sortByLength=" + sortByLength + ", head="
        + head + "}";
  }

  /**
   * Builds a {@link PipelineConfig}; every setting is optional.
   *
   * @param <O> the task's result for one input
   */
  public static final class Builder<O> {
    private final Task<O> task;
    private TaskOptions.Builder options;
    private String model;
    private LoadOptions.Builder loading = LoadOptions.builder();
    private int batchSize = DEFAULT_BATCH_SIZE;
    private int maxBatchTokens = DEFAULT_MAX_BATCH_TOKENS;
    private Integer parallelBatches;
    private Integer maxLength;
    private boolean truncation = true;
    private boolean sortByLength = true;
    private HeadSpec head;

    private Builder(Task<O> task) {
      this.task = Objects.requireNonNull(task, "task");
      this.options = TaskOptions.builder(task);
    }

    /**
     * Sets one of the task's options, e.g. {@code option(TextClassification.TOP_K, TopK.ALL)}.
     *
     * @throws IllegalArgumentException if the task has no such option
     */
    public <T> Builder<O> option(TaskOption<T> option, T value) {
      options.set(option, value);
      return this;
    }

    /**
     * Sets one of the task's options by name from its JSON form, as a config file gives it.
     *
     * @throws IllegalArgumentException naming the option, if the task has none of that name or the value is invalid
     */
    public Builder<O> option(String name, JsonNode value) {
      options.set(name, value);
      return this;
    }

    /**
     * Sets one of the task's options by name from text, as a command line gives it ({@code top_k=all}).
     *
     * @throws IllegalArgumentException naming the option, if the task has none of that name or the value is invalid
     */
    public Builder<O> parseOption(String name, String value) {
      options.parse(name, value);
      return this;
    }

    /** A model id (e.g. {@code sentence-transformers/all-MiniLM-L6-v2}) or a local directory. */
    public Builder<O> model(String model) {
      this.model = Objects.requireNonNull(model, "model");
      return this;
    }

    /** See {@link LoadOptions.Builder#backend}. */
    public Builder<O> backend(String backend) {
      loading.backend(backend);
      return this;
    }

    /** See {@link LoadOptions.Builder#format}. */
    public Builder<O> format(ModelFormat format) {
      loading.format(format);
      return this;
    }

    /** See {@link LoadOptions.Builder#device}. */
    public Builder<O> device(Device device) {
      loading.device(device);
      return this;
    }

    public Builder<O> batchSize(int batchSize) {
      this.batchSize = positive("batch_size", batchSize);
      return this;
    }

    /** The most tokens per model call, padding included; see {@link PipelineConfig#maxBatchTokens()}. */
    public Builder<O> maxBatchTokens(int maxBatchTokens) {
      this.maxBatchTokens = positive("max_batch_tokens", maxBatchTokens);
      return this;
    }

    /** How many batches run through the model at once; see {@link PipelineConfig#parallelBatches()}. */
    public Builder<O> parallelBatches(int parallelBatches) {
      this.parallelBatches = positive("parallel_batches", parallelBatches);
      return this;
    }

    public Builder<O> maxLength(int maxLength) {
      this.maxLength = positive("max_length", maxLength);
      return this;
    }

    public Builder<O> truncation(boolean truncation) {
      this.truncation = truncation;
      return this;
    }

    public Builder<O> sortByLength(boolean sortByLength) {
      this.sortByLength = sortByLength;
      return this;
    }

    public Builder<O> head(HeadSpec head) {
      this.head = Objects.requireNonNull(head, "head");
      return this;
    }

    /** See {@link LoadOptions.Builder#adapter}. */
    public Builder<O> adapter(String adapter) {
      loading.adapter(adapter);
      return this;
    }

    /** See {@link LoadOptions.Builder#intraOpThreads}. */
    public Builder<O> intraOpThreads(int threads) {
      loading.intraOpThreads(threads);
      return this;
    }

    /** See {@link LoadOptions.Builder#interOpThreads}. */
    public Builder<O> interOpThreads(int threads) {
      loading.interOpThreads(threads);
      return this;
    }

    /** See {@link LoadOptions.Builder#backendOption}. */
    public Builder<O> backendOption(String name, String value) {
      loading.backendOption(name, value);
      return this;
    }

    private static int positive(String name, int value) {
      if (value <= 0) {
        throw new IllegalArgumentException("'" + name + "' must be positive, got " + value);
      }
      return value;
    }

    public PipelineConfig<O> build() {
      return new PipelineConfig<>(this);
    }
  }
}
