package dev.jtransformers.pipelines;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.jtransformers.api.Device;
import dev.jtransformers.api.ModelLoadException;
import dev.jtransformers.heads.ConfigNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Everything that defines a pipeline: task, model, backend, device, head, post-processing and batching. The one
 * description behind all three ways of assembling a pipeline — the Java {@link #builder}, a JSON or YAML file
 * ({@link #load}), and Guice ({@link PipelineModule}) — so they give the same result.
 *
 * <p>Unset options take the model's own defaults when the pipeline is built (e.g. pooling from its
 * sentence-transformers config, the function to apply from its {@code problem_type}). Immutable.
 *
 * <p>File keys, all optional but {@code task}: {@code task}, {@code model}, {@code backend}, {@code device},
 * {@code batch_size}, {@code max_length}, {@code truncation}, {@code sort_by_length}, {@code top_k} (a number, or
 * {@code all}/{@code null} for every label), {@code function_to_apply}, {@code pooling}, {@code normalize},
 * {@code head} ({@code {"type": name, option: value…}}), {@code intra_op_threads}, {@code inter_op_threads},
 * {@code backend_options} (a map of strings).
 */
public final class PipelineConfig {
  /** The default number of inputs run through the model at once. */
  public static final int DEFAULT_BATCH_SIZE = 32;

  private static final Set<String> KEYS =
      Set.of(
          "task", "model", "backend", "device", "batch_size", "max_length", "truncation", "sort_by_length", "top_k",
          "function_to_apply", "pooling", "normalize", "head", "intra_op_threads", "inter_op_threads",
          "backend_options");

  private final Task task;
  private final String model;
  private final String backend;
  private final Device device;
  private final int batchSize;
  private final Integer maxLength;
  private final boolean truncation;
  private final boolean sortByLength;
  private final int topK;
  private final FunctionToApply functionToApply;
  private final Pooling pooling;
  private final Boolean normalize;
  private final HeadSpec head;
  private final int intraOpThreads;
  private final int interOpThreads;
  private final Map<String, String> backendOptions;

  /** Pooling of token states into one vector per input, or none for token-level features. */
  public enum Pooling {
    MEAN,
    CLS,
    MAX,
    NONE;

    /** Parses {@code mean}, {@code cls}, {@code max} or {@code none}. */
    public static Pooling parse(String name) {
      return ConfigNames.parse(Pooling.class, "pooling", name);
    }

    @Override
    public String toString() {
      return ConfigNames.of(this);
    }
  }

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

  private PipelineConfig(Builder b) {
    this.task = b.task;
    this.model = b.model;
    this.backend = b.backend;
    this.device = b.device;
    this.batchSize = b.batchSize;
    this.maxLength = b.maxLength;
    this.truncation = b.truncation;
    this.sortByLength = b.sortByLength;
    this.topK = b.topK;
    this.functionToApply = b.functionToApply;
    this.pooling = b.pooling;
    this.normalize = b.normalize;
    this.head = b.head;
    this.intraOpThreads = b.intraOpThreads;
    this.interOpThreads = b.interOpThreads;
    this.backendOptions = Map.copyOf(b.backendOptions);
  }

  /** A builder for a pipeline of this task. */
  public static Builder builder(Task task) {
    return new Builder(task);
  }

  /** A builder holding this configuration, to change some of it. */
  public Builder toBuilder() {
    Builder b = new Builder(task);
    b.model = model;
    b.backend = backend;
    b.device = device;
    b.batchSize = batchSize;
    b.maxLength = maxLength;
    b.truncation = truncation;
    b.sortByLength = sortByLength;
    b.topK = topK;
    b.functionToApply = functionToApply;
    b.pooling = pooling;
    b.normalize = normalize;
    b.head = head;
    b.intraOpThreads = intraOpThreads;
    b.interOpThreads = interOpThreads;
    b.backendOptions.putAll(backendOptions);
    return b;
  }

  /**
   * Reads a configuration file: YAML if its name ends in {@code .yaml}/{@code .yml}, JSON otherwise.
   *
   * @throws ModelLoadException naming the file and the key, if it is missing or malformed
   */
  public static PipelineConfig load(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    ObjectMapper mapper =
        name.endsWith(".yaml") || name.endsWith(".yml") ? new ObjectMapper(new YAMLFactory()) : new ObjectMapper();
    JsonNode root;
    try {
      root = mapper.readTree(Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      throw new ModelLoadException("pipeline config " + file + " does not exist");
    } catch (IOException e) {
      throw new ModelLoadException("pipeline config " + file + " is not valid: " + e.getMessage(), e);
    }
    try {
      return fromJson(root);
    } catch (IllegalArgumentException e) {
      throw new ModelLoadException("pipeline config " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads a configuration from a parsed JSON object.
   *
   * @throws IllegalArgumentException naming the key, for an unknown key or a malformed value
   */
  public static PipelineConfig fromJson(JsonNode root) {
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("expected a JSON object");
    }
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!KEYS.contains(key)) {
        throw new IllegalArgumentException("unknown key '" + key + "'; known keys: " + KEYS);
      }
    }
    if (!root.hasNonNull("task")) {
      throw new IllegalArgumentException("'task' is required");
    }
    Builder b = builder(Task.of(root.get("task").asText()));
    text(root, "model").ifPresent(b::model);
    text(root, "backend").ifPresent(b::backend);
    text(root, "device").map(Device::parse).ifPresent(b::device);
    integer(root, "batch_size").ifPresent(b::batchSize);
    integer(root, "max_length").ifPresent(b::maxLength);
    bool(root, "truncation").ifPresent(b::truncation);
    bool(root, "sort_by_length").ifPresent(b::sortByLength);
    if (root.has("top_k")) {
      JsonNode k = root.get("top_k");
      if (k.isNull() || "all".equals(k.asText())) {
        b.allLabels();
      } else if (k.canConvertToInt()) {
        b.topK(k.asInt());
      } else {
        throw new IllegalArgumentException("'top_k' must be a positive number, all or null, got " + k);
      }
    }
    text(root, "function_to_apply").map(FunctionToApply::parse).ifPresent(b::functionToApply);
    text(root, "pooling").map(Pooling::parse).ifPresent(b::pooling);
    bool(root, "normalize").ifPresent(b::normalize);
    if (root.hasNonNull("head")) {
      Map<String, String> options = strings(root.get("head"), "head");
      String type = options.remove("type");
      if (type == null) {
        throw new IllegalArgumentException("'head' needs a 'type'");
      }
      b.head(new HeadSpec(type, options));
    }
    integer(root, "intra_op_threads").ifPresent(b::intraOpThreads);
    integer(root, "inter_op_threads").ifPresent(b::interOpThreads);
    if (root.hasNonNull("backend_options")) {
      strings(root.get("backend_options"), "backend_options").forEach(b::backendOption);
    }
    return b.build();
  }

  private static Optional<String> text(JsonNode root, String key) {
    JsonNode n = root.get(key);
    if (n == null || n.isNull()) {
      return Optional.empty();
    }
    if (!n.isValueNode()) {
      throw new IllegalArgumentException("'" + key + "' must be a string, got " + n);
    }
    return Optional.of(n.asText());
  }

  private static OptionalInt integer(JsonNode root, String key) {
    JsonNode n = root.get(key);
    if (n == null || n.isNull()) {
      return OptionalInt.empty();
    }
    if (!n.canConvertToInt() || !n.isIntegralNumber()) {
      throw new IllegalArgumentException("'" + key + "' must be an integer, got " + n);
    }
    return OptionalInt.of(n.asInt());
  }

  private static Optional<Boolean> bool(JsonNode root, String key) {
    JsonNode n = root.get(key);
    if (n == null || n.isNull()) {
      return Optional.empty();
    }
    if (!n.isBoolean()) {
      throw new IllegalArgumentException("'" + key + "' must be true or false, got " + n);
    }
    return Optional.of(n.asBoolean());
  }

  private static Map<String, String> strings(JsonNode node, String key) {
    if (!node.isObject()) {
      throw new IllegalArgumentException("'" + key + "' must be an object, got " + node);
    }
    Map<String, String> map = new LinkedHashMap<>();
    node.fields()
        .forEachRemaining(
            e -> {
              if (!e.getValue().isValueNode()) {
                throw new IllegalArgumentException("'" + key + "." + e.getKey() + "' must be a plain value");
              }
              map.put(e.getKey(), e.getValue().asText());
            });
    return map;
  }

  public Task task() {
    return task;
  }

  /** The model id or directory; empty for the task's embedded default. */
  public Optional<String> model() {
    return Optional.ofNullable(model);
  }

  /** The backend's name; empty to choose by priority. */
  public Optional<String> backend() {
    return Optional.ofNullable(backend);
  }

  public Device device() {
    return device;
  }

  public int batchSize() {
    return batchSize;
  }

  /** The most tokens per input; empty for the model's own limit. */
  public OptionalInt maxLength() {
    return maxLength == null ? OptionalInt.empty() : OptionalInt.of(maxLength);
  }

  /** Whether over-long inputs are truncated (keeping the final {@code [SEP]}) rather than rejected. */
  public boolean truncation() {
    return truncation;
  }

  /** Whether inputs are sorted by length before batching (results keep input order either way). */
  public boolean sortByLength() {
    return sortByLength;
  }

  /** Labels returned per input by classification; 0 means all of them, highest score first. */
  public int topK() {
    return topK;
  }

  /** The function applied to logits; empty for the model's default. */
  public Optional<FunctionToApply> functionToApply() {
    return Optional.ofNullable(functionToApply);
  }

  /** Pooling for feature extraction; empty for the model's sentence-transformers setting, else none. */
  public Optional<Pooling> pooling() {
    return Optional.ofNullable(pooling);
  }

  /** L2 normalisation of pooled vectors; empty for the model's sentence-transformers setting, else off. */
  public Optional<Boolean> normalize() {
    return Optional.ofNullable(normalize);
  }

  /** An explicitly chosen head; empty to choose one from the model. */
  public Optional<HeadSpec> head() {
    return Optional.ofNullable(head);
  }

  public int intraOpThreads() {
    return intraOpThreads;
  }

  public int interOpThreads() {
    return interOpThreads;
  }

  /** Backend-specific options, e.g. ONNX Runtime's {@code optimization_level}. */
  public Map<String, String> backendOptions() {
    return backendOptions;
  }

  @Override
  public String toString() {
    return "PipelineConfig{task=" + task + ", model=" + model + ", backend=" + backend + ", device=" + device
        + ", batchSize=" + batchSize + ", maxLength=" + maxLength + ", truncation=" + truncation + ", sortByLength="
        + sortByLength + ", topK=" + topK + ", functionToApply=" + functionToApply + ", pooling=" + pooling
        + ", normalize=" + normalize + ", head=" + head + "}";
  }

  /** Builds a {@link PipelineConfig}; every option is optional. */
  public static final class Builder {
    private final Task task;
    private String model;
    private String backend;
    private Device device = Device.CPU;
    private int batchSize = DEFAULT_BATCH_SIZE;
    private Integer maxLength;
    private boolean truncation = true;
    private boolean sortByLength = true;
    private int topK = 1;
    private FunctionToApply functionToApply;
    private Pooling pooling;
    private Boolean normalize;
    private HeadSpec head;
    private int intraOpThreads;
    private int interOpThreads;
    private final Map<String, String> backendOptions = new LinkedHashMap<>();

    private Builder(Task task) {
      this.task = Objects.requireNonNull(task, "task");
    }

    /** A model id (e.g. {@code sentence-transformers/all-MiniLM-L6-v2}) or a local directory. */
    public Builder model(String model) {
      this.model = Objects.requireNonNull(model, "model");
      return this;
    }

    public Builder backend(String backend) {
      this.backend = Objects.requireNonNull(backend, "backend");
      return this;
    }

    public Builder device(Device device) {
      this.device = Objects.requireNonNull(device, "device");
      return this;
    }

    public Builder batchSize(int batchSize) {
      this.batchSize = positive("batch_size", batchSize);
      return this;
    }

    public Builder maxLength(int maxLength) {
      this.maxLength = positive("max_length", maxLength);
      return this;
    }

    public Builder truncation(boolean truncation) {
      this.truncation = truncation;
      return this;
    }

    public Builder sortByLength(boolean sortByLength) {
      this.sortByLength = sortByLength;
      return this;
    }

    /** Returns the {@code k} best labels per input. */
    public Builder topK(int k) {
      this.topK = positive("top_k", k);
      return this;
    }

    /** Returns every label per input, highest score first. */
    public Builder allLabels() {
      this.topK = 0;
      return this;
    }

    public Builder functionToApply(FunctionToApply function) {
      this.functionToApply = Objects.requireNonNull(function, "functionToApply");
      return this;
    }

    public Builder pooling(Pooling pooling) {
      this.pooling = Objects.requireNonNull(pooling, "pooling");
      return this;
    }

    public Builder normalize(boolean normalize) {
      this.normalize = normalize;
      return this;
    }

    public Builder head(HeadSpec head) {
      this.head = Objects.requireNonNull(head, "head");
      return this;
    }

    public Builder intraOpThreads(int threads) {
      this.intraOpThreads = threads;
      return this;
    }

    public Builder interOpThreads(int threads) {
      this.interOpThreads = threads;
      return this;
    }

    public Builder backendOption(String name, String value) {
      backendOptions.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
      return this;
    }

    private static int positive(String name, int value) {
      if (value <= 0) {
        throw new IllegalArgumentException("'" + name + "' must be positive, got " + value);
      }
      return value;
    }

    public PipelineConfig build() {
      if (intraOpThreads < 0 || interOpThreads < 0) {
        throw new IllegalArgumentException("thread counts must not be negative");
      }
      return new PipelineConfig(this);
    }
  }
}
