package dev.jtransformers.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.jtransformers.pipelines.PipelineConfigCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * A {@link ServerConfig} in a JSON or YAML file: the server's settings at the top level, snake_case, and each
 * pipeline's configuration as {@link PipelineConfigCodec} reads it:
 *
 * <pre>{@code
 * port: 8080
 * max_batch_tokens: 16384
 * max_wait_ms: 2
 * pipelines:
 *   embed: {task: feature-extraction}
 *   sentiment: {task: sentiment-analysis, top_k: all}
 * }</pre>
 *
 * <p>Keys: {@code host}, {@code port}, {@code max_request_bytes}, {@code max_inputs}, {@code max_batch_tokens},
 * {@code max_batch_requests} (1 turns dynamic batching off), {@code max_wait_ms}, {@code max_queue}, {@code
 * request_timeout_ms}, {@code rerank_label}, {@code pipelines}.
 */
public final class ServerConfigFile {
  private static final Set<String> KEYS = Set.of("host", "port", "max_request_bytes", "max_inputs",
      "max_batch_tokens", "max_batch_requests", "max_wait_ms", "max_queue", "request_timeout_ms", "rerank_label",
      "pipelines");

  private final PipelineConfigCodec pipelines;

  /** @param pipelines reads each pipeline's configuration */
  public ServerConfigFile(PipelineConfigCodec pipelines) {
    this.pipelines = pipelines;
  }

  /**
   * Reads a file ({@code .json}, else YAML).
   *
   * @throws IllegalArgumentException naming the file and the key, if a value is missing, unknown or invalid
   * @throws UncheckedIOException if the file can't be read
   */
  public ServerConfig load(Path file) {
    ObjectMapper mapper =
        file.toString().endsWith(".json") ? new ObjectMapper() : new ObjectMapper(new YAMLFactory());
    JsonNode root;
    try {
      root = mapper.readTree(Files.readString(file));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(file + ": not valid JSON or YAML: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("can't read " + file, e);
    }
    try {
      return read(root);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads a configuration tree.
   *
   * @throws IllegalArgumentException naming the key, if a value is missing, unknown or invalid
   */
  public ServerConfig read(JsonNode root) {
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("a server configuration is an object with a \"pipelines\" map");
    }
    for (Iterator<String> keys = root.fieldNames(); keys.hasNext(); ) {
      String key = keys.next();
      if (!KEYS.contains(key)) {
        throw new IllegalArgumentException("unknown key \"" + key + "\"; the keys are " + KEYS);
      }
    }
    ServerConfig.Builder b = ServerConfig.builder();
    b.host(root.path("host").asText(ServerConfig.DEFAULT_HOST));
    b.port(intValue(root, "port", ServerConfig.DEFAULT_PORT));
    b.maxRequestBytes(longValue(root, "max_request_bytes", ServerConfig.DEFAULT_MAX_REQUEST_BYTES));
    b.maxInputs(intValue(root, "max_inputs", ServerConfig.DEFAULT_MAX_INPUTS));
    BatchingSettings d = BatchingSettings.DEFAULT;
    b.batching(new BatchingSettings(
        intValue(root, "max_batch_tokens", d.maxBatchTokens()),
        intValue(root, "max_batch_requests", d.maxBatchRequests()),
        Duration.ofMillis(longValue(root, "max_wait_ms", d.maxWait().toMillis())),
        intValue(root, "max_queue", d.maxQueue()),
        Duration.ofMillis(longValue(root, "request_timeout_ms", d.requestTimeout().toMillis()))));
    if (root.hasNonNull("rerank_label")) {
      b.rerankLabel(root.get("rerank_label").asText());
    }
    JsonNode given = root.path("pipelines");
    if (!given.isObject() || given.isEmpty()) {
      throw new IllegalArgumentException("\"pipelines\" must map names to pipeline configurations");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = given.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      try {
        b.pipeline(entry.getKey(), pipelines.read(entry.getValue()));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("pipeline " + entry.getKey() + ": " + e.getMessage(), e);
      }
    }
    return b.build();
  }

  private static int intValue(JsonNode root, String key, int defaultValue) {
    long value = longValue(root, key, defaultValue);
    if (value != (int) value) {
      throw new IllegalArgumentException("\"" + key + "\" is too large: " + value);
    }
    return (int) value;
  }

  private static long longValue(JsonNode root, String key, long defaultValue) {
    JsonNode value = root.get(key);
    if (value == null || value.isNull()) {
      return defaultValue;
    }
    if (!value.canConvertToLong() || !value.isIntegralNumber()) {
      throw new IllegalArgumentException("\"" + key + "\" must be an integer, got " + value);
    }
    return value.longValue();
  }
}
