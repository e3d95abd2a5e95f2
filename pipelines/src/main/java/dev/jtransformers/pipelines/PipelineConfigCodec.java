package dev.jtransformers.pipelines;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.jtransformers.api.Device;
import dev.jtransformers.api.ModelLoadException;
import dev.jtransformers.pipelines.spi.Task;
import dev.jtransformers.spi.ModelFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Reads and writes {@link PipelineConfig}s as JSON or YAML, so a configuration written by one process (a server, a
 * Spark driver) is read back identically by another. Keys are Python's names: {@code task}, {@code model}, {@code
 * backend}, {@code format} ({@code onnx}, {@code torchscript}, {@code safetensors}, …), {@code device}, {@code
 * batch_size}, {@code max_batch_tokens}, {@code parallel_batches}, {@code max_length}, {@code truncation}, {@code
 * sort_by_length}, {@code head} ({@code {"type": name, option: value…}}), {@code adapter}, {@code intra_op_threads},
 * {@code inter_op_threads}, {@code backend_options} (a map of strings), and the task's own options at the top level
 * (e.g. {@code top_k}). Thread-safe.
 */
public final class PipelineConfigCodec {
  private static final List<String> SETTINGS =
      List.of("task", "model", "backend", "format", "device", "batch_size", "max_batch_tokens", "parallel_batches",
          "max_length", "truncation", "sort_by_length", "head", "adapter", "intra_op_threads", "inter_op_threads",
          "backend_options");
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));

  private final TaskRegistry tasks;

  /** A codec that reads the tasks of this registry. */
  public PipelineConfigCodec(TaskRegistry tasks) {
    this.tasks = Objects.requireNonNull(tasks, "tasks");
  }

  /** A codec over the tasks on the classpath. */
  public static PipelineConfigCodec fromServiceLoader() {
    return new PipelineConfigCodec(TaskRegistry.fromServiceLoader());
  }

  /**
   * Reads a configuration file: YAML if its name ends in {@code .yaml}/{@code .yml}, JSON otherwise.
   *
   * @throws ModelLoadException naming the file and the key, if it is missing or malformed
   */
  public PipelineConfig<?> load(Path file) {
    JsonNode root;
    try {
      root = mapperFor(file).readTree(Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      throw new ModelLoadException("pipeline config " + file + " does not exist");
    } catch (IOException e) {
      throw new ModelLoadException("pipeline config " + file + " is not valid: " + e.getMessage(), e);
    }
    try {
      return read(root);
    } catch (IllegalArgumentException e) {
      throw new ModelLoadException("pipeline config " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Writes a configuration file: YAML if its name ends in {@code .yaml}/{@code .yml}, JSON otherwise.
   *
   * @throws UncheckedIOException if the file can't be written
   */
  public void save(PipelineConfig<?> config, Path file) {
    try {
      Files.writeString(file, mapperFor(file).writeValueAsString(toJson(config)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write pipeline config " + file, e);
    }
  }

  /** The configuration as YAML text. */
  public String toYaml(PipelineConfig<?> config) {
    return write(YAML, config);
  }

  /** The configuration as indented JSON text. */
  public String toJsonText(PipelineConfig<?> config) {
    return write(JSON, config);
  }

  private static String write(ObjectMapper mapper, PipelineConfig<?> config) {
    try {
      return mapper.writeValueAsString(toJson(config));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of plain values always serialises", e);
    }
  }

  private static ObjectMapper mapperFor(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    return name.endsWith(".yaml") || name.endsWith(".yml") ? YAML : JSON;
  }

  /** The JSON form of a configuration: every setting, and the task options set explicitly. */
  public static ObjectNode toJson(PipelineConfig<?> config) {
    ObjectNode root = JSON.createObjectNode();
    root.put("task", config.task().name());
    LoadOptions loading = config.loadOptions();
    config.model().ifPresent(m -> root.put("model", m));
    loading.backend().ifPresent(b -> root.put("backend", b));
    loading.format().ifPresent(f -> root.put("format", f.configName()));
    root.put("device", loading.device().toString());
    root.put("batch_size", config.batchSize());
    root.put("max_batch_tokens", config.maxBatchTokens());
    config.parallelBatches().ifPresent(n -> root.put("parallel_batches", n));
    config.maxLength().ifPresent(n -> root.put("max_length", n));
    root.put("truncation", config.truncation());
    root.put("sort_by_length", config.sortByLength());
    loading.adapter().ifPresent(a -> root.put("adapter", a));
    config.head().ifPresent(head -> {
      ObjectNode node = root.putObject("head").put("type", head.type());
      head.options().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> node.put(e.getKey(),
          e.getValue()));
    });
    root.put("intra_op_threads", loading.intraOpThreads());
    root.put("inter_op_threads", loading.interOpThreads());
    if (!loading.backendOptions().isEmpty()) {
      ObjectNode node = root.putObject("backend_options");
      loading.backendOptions().forEach(node::put); // sorted by key
    }
    config.options().toJson().forEach(root::set);
    return root;
  }

  /**
   * Reads a configuration from a parsed JSON object.
   *
   * @throws IllegalArgumentException naming the key, for an unknown key or task, or a malformed value
   */
  public PipelineConfig<?> read(JsonNode root) {
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("expected a JSON object");
    }
    if (!root.hasNonNull("task")) {
      throw new IllegalArgumentException("'task' is required");
    }
    return read(tasks.get(root.get("task").asText()), root);
  }

  private static <O> PipelineConfig<O> read(Task<O> task, JsonNode root) {
    PipelineConfig.Builder<O> b = PipelineConfig.builder(task);
    Set<String> taskOptions = new LinkedHashSet<>();
    task.options().forEach(o -> taskOptions.add(o.name()));
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (taskOptions.contains(key)) {
        b.option(key, root.get(key));
      } else if (!SETTINGS.contains(key)) {
        List<String> known = new ArrayList<>(SETTINGS);
        known.addAll(taskOptions);
        throw new IllegalArgumentException("unknown key '" + key + "'; known keys for task " + task.name() + ": "
            + known);
      }
    }
    text(root, "model").ifPresent(b::model);
    text(root, "adapter").ifPresent(b::adapter);
    text(root, "backend").ifPresent(b::backend);
    text(root, "format").map(ModelFormat::fromConfigName).ifPresent(b::format);
    text(root, "device").map(Device::parse).ifPresent(b::device);
    integer(root, "batch_size").ifPresent(b::batchSize);
    integer(root, "max_batch_tokens").ifPresent(b::maxBatchTokens);
    integer(root, "parallel_batches").ifPresent(b::parallelBatches);
    integer(root, "max_length").ifPresent(b::maxLength);
    bool(root, "truncation").ifPresent(b::truncation);
    bool(root, "sort_by_length").ifPresent(b::sortByLength);
    if (root.hasNonNull("head")) {
      Map<String, String> options = strings(root.get("head"), "head");
      String type = options.remove("type");
      if (type == null) {
        throw new IllegalArgumentException("'head' needs a 'type'");
      }
      b.head(new PipelineConfig.HeadSpec(type, options));
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
    node.fields().forEachRemaining(e -> {
      if (!e.getValue().isValueNode()) {
        throw new IllegalArgumentException("'" + key + "." + e.getKey() + "' must be a plain value");
      }
      map.put(e.getKey(), e.getValue().asText());
    });
    return map;
  }
}
