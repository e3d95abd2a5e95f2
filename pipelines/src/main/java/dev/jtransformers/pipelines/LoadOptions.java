package dev.jtransformers.pipelines;

import dev.jtransformers.api.Device;
import dev.jtransformers.spi.ModelFormat;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * How {@link AutoModel} and {@link AutoModelForSequenceClassification} load a model: on the backend named, else the
 * highest-priority one that reads the model on the device; in the format named, else the backend's preferred one;
 * with the engine options given. The same options a {@link PipelineConfig} carries for its model. Immutable; build
 * with {@link #builder()}.
 */
public final class LoadOptions {
  /** The best backend on the classpath, on the CPU, with the engine's default threads. */
  public static final LoadOptions DEFAULT = builder().build();

  private final String backend;
  private final ModelFormat format;
  private final String head;
  private final String adapter;
  private final Device device;
  private final int intraOpThreads;
  private final int interOpThreads;
  private final Map<String, String> backendOptions;

  private LoadOptions(Builder b) {
    this.backend = b.backend;
    this.format = b.format;
    this.head = b.head;
    this.adapter = b.adapter;
    this.device = b.device;
    this.intraOpThreads = b.intraOpThreads;
    this.interOpThreads = b.interOpThreads;
    // Sorted by key, so that a configuration file written from these options lists them in a stable order.
    this.backendOptions = Collections.unmodifiableSortedMap(new TreeMap<>(b.backendOptions));
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these options, to change some of them. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.backend = backend;
    b.format = format;
    b.head = head;
    b.adapter = adapter;
    b.device = device;
    b.intraOpThreads = intraOpThreads;
    b.interOpThreads = interOpThreads;
    b.backendOptions.putAll(backendOptions);
    return b;
  }

  /** The backend's name, e.g. {@code onnx}; empty to choose by priority. */
  public Optional<String> backend() {
    return Optional.ofNullable(backend);
  }

  /** The format to read the model in, e.g. {@link ModelFormat#ONNX}; empty for the backend's preferred one. */
  public Optional<ModelFormat> format() {
    return Optional.ofNullable(format);
  }

  /**
   * A head trained by this project ({@code train-head}) to put on the model instead of its own classifier: a head
   * directory or an embedded head id, e.g. {@link dev.jtransformers.pipelines.tasks.TextClassification#DEFAULT_HEAD}.
   */
  public Optional<String> head() {
    return Optional.ofNullable(head);
  }

  /**
   * A LoRA adapter in {@code peft}'s format to merge into the model's weights as it loads ({@code jtransformers
   * fine-tune --lora-rank} writes one): its directory or an embedded adapter id. A sequence-classification
   * adapter on a bare encoder also classifies with its own head.
   */
  public Optional<String> adapter() {
    return Optional.ofNullable(adapter);
  }

  /** Where the model runs; the CPU by default. */
  public Device device() {
    return device;
  }

  /** Threads inside one operator; 0 lets the engine choose. */
  public int intraOpThreads() {
    return intraOpThreads;
  }

  /** Threads across independent operators; 0 lets the engine choose. */
  public int interOpThreads() {
    return interOpThreads;
  }

  /**
   * Backend-specific settings by {@code <backend>.<option>}, e.g. {@code onnx.optimization_level}, sorted by key; the
   * chosen backend validates its own and ignores other backends'.
   */
  public Map<String, String> backendOptions() {
    return backendOptions;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LoadOptions other
        && Objects.equals(backend, other.backend)
        && format == other.format
        && Objects.equals(head, other.head)
        && Objects.equals(adapter, other.adapter)
        && device.equals(other.device)
        && intraOpThreads == other.intraOpThreads
        && interOpThreads == other.interOpThreads
        && backendOptions.equals(other.backendOptions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(backend, format, head, adapter, device, intraOpThreads, interOpThreads, backendOptions);
  }

  @Override
  public String toString() {
    return "LoadOptions{backend=" + backend + ", format=" + format + ", head=" + head + ", adapter=" + adapter + ", device=" + device
        + ", intraOpThreads=" + intraOpThreads + ", interOpThreads=" + interOpThreads + ", backendOptions="
        + backendOptions + "}";
  }

  /** Builds {@link LoadOptions}; every option is optional. */
  public static final class Builder {
    private String backend;
    private ModelFormat format;
    private String head;
    private String adapter;
    private Device device = Device.CPU;
    private int intraOpThreads;
    private int interOpThreads;
    private final Map<String, String> backendOptions = new TreeMap<>();

    private Builder() {}

    /** Loads on the backend of that name, e.g. {@code onnx}. */
    public Builder backend(String backend) {
      this.backend = Objects.requireNonNull(backend, "backend");
      return this;
    }

    /** Reads the model in this format, which its directory must hold and the backend must read. */
    public Builder format(ModelFormat format) {
      this.format = Objects.requireNonNull(format, "format");
      return this;
    }

    /** Classifies with a head trained by this project: a head directory or an embedded head id. */
    public Builder head(String head) {
      this.head = Objects.requireNonNull(head, "head");
      return this;
    }

    /** Merges a LoRA adapter into the model's weights: an adapter directory or an embedded adapter id. */
    public Builder adapter(String adapter) {
      this.adapter = Objects.requireNonNull(adapter, "adapter");
      return this;
    }

    /** Runs on this device; the CPU by default. */
    public Builder device(Device device) {
      this.device = Objects.requireNonNull(device, "device");
      return this;
    }

    /** Threads inside one operator; 0, the default, lets the engine choose. */
    public Builder intraOpThreads(int threads) {
      this.intraOpThreads = requireThreads("intra_op_threads", threads);
      return this;
    }

    /** Threads across independent operators; 0, the default, lets the engine choose. */
    public Builder interOpThreads(int threads) {
      this.interOpThreads = requireThreads("inter_op_threads", threads);
      return this;
    }

    /** A backend-specific setting, keyed {@code <backend>.<option>}, e.g. {@code onnx.optimization_level}. */
    public Builder backendOption(String key, String value) {
      backendOptions.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    public LoadOptions build() {
      return new LoadOptions(this);
    }

    private static int requireThreads(String name, int threads) {
      if (threads < 0) {
        throw new IllegalArgumentException("'" + name + "' must not be negative, got " + threads);
      }
      return threads;
    }
  }
}
