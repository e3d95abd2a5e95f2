package dev.jtransformers.server;

import dev.jtransformers.pipelines.PipelineConfig;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link ModelServer} serves and how: its address, its limits, its batching, and its pipelines by name (the
 * first one is the default, served at {@code POST /}).
 *
 * @param host the address to bind; loopback unless told otherwise
 * @param port the port; 0 for any free one
 * @param maxRequestBytes the largest request body; larger ones get 413
 * @param maxInputs the most inputs in one request (TEI's {@code max_client_batch_size}); more get 413
 * @param batching how each pipeline's queue is cut into batches
 * @param rerankLabel the label whose score ranks texts on {@code /rerank}, for a classifier with several labels (a
 *     single-label classifier, TEI's re-ranker, needs none)
 * @param pipelines the pipelines by name, in order
 */
public record ServerConfig(
    String host,
    int port,
    long maxRequestBytes,
    int maxInputs,
    BatchingSettings batching,
    Optional<String> rerankLabel,
    Map<String, PipelineConfig<?>> pipelines) {

  /** Loopback: a model server is reachable from elsewhere only when asked to be. */
  public static final String DEFAULT_HOST = "127.0.0.1";

  public static final int DEFAULT_PORT = 8080;

  public static final long DEFAULT_MAX_REQUEST_BYTES = 2_000_000;

  public static final int DEFAULT_MAX_INPUTS = 32;

  public ServerConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(batching, "batching");
    Objects.requireNonNull(rerankLabel, "rerankLabel");
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be 0-65535, got " + port);
    }
    if (maxRequestBytes < 1 || maxInputs < 1) {
      throw new IllegalArgumentException("max_request_bytes and max_inputs must be at least 1, got "
          + maxRequestBytes + " and " + maxInputs);
    }
    if (pipelines.isEmpty()) {
      throw new IllegalArgumentException("a server needs at least one pipeline");
    }
    pipelines = Collections.unmodifiableMap(new LinkedHashMap<>(pipelines));
  }

  /** A builder with the defaults: loopback, port 8080, 2 MB bodies, 32 inputs per request, default batching. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this configuration, to change some of it. */
  public Builder toBuilder() {
    Builder b = new Builder().host(host).port(port).maxRequestBytes(maxRequestBytes).maxInputs(maxInputs)
        .batching(batching);
    rerankLabel.ifPresent(b::rerankLabel);
    pipelines.forEach(b::pipeline);
    return b;
  }

  /** Builds a {@link ServerConfig}. */
  public static final class Builder {
    private String host = DEFAULT_HOST;
    private int port = DEFAULT_PORT;
    private long maxRequestBytes = DEFAULT_MAX_REQUEST_BYTES;
    private int maxInputs = DEFAULT_MAX_INPUTS;
    private BatchingSettings batching = BatchingSettings.DEFAULT;
    private Optional<String> rerankLabel = Optional.empty();
    private final Map<String, PipelineConfig<?>> pipelines = new LinkedHashMap<>();

    private Builder() {}

    public Builder host(String host) {
      this.host = host;
      return this;
    }

    public Builder port(int port) {
      this.port = port;
      return this;
    }

    public Builder maxRequestBytes(long maxRequestBytes) {
      this.maxRequestBytes = maxRequestBytes;
      return this;
    }

    public Builder maxInputs(int maxInputs) {
      this.maxInputs = maxInputs;
      return this;
    }

    public Builder batching(BatchingSettings batching) {
      this.batching = batching;
      return this;
    }

    public Builder rerankLabel(String label) {
      this.rerankLabel = Optional.of(label);
      return this;
    }

    /**
     * Adds a pipeline, served at {@code POST /models/{name}}.
     *
     * @throws IllegalArgumentException if the name is blank or taken
     */
    public Builder pipeline(String name, PipelineConfig<?> config) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("a pipeline needs a name");
      }
      if (pipelines.putIfAbsent(name, Objects.requireNonNull(config, "config")) != null) {
        throw new IllegalArgumentException("two pipelines are named " + name);
      }
      return this;
    }

    public ServerConfig build() {
      return new ServerConfig(host, port, maxRequestBytes, maxInputs, batching, rerankLabel, pipelines);
    }
  }
}
