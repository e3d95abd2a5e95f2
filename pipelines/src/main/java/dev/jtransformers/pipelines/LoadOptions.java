package dev.jtransformers.pipelines;

import dev.jtransformers.api.Device;
import dev.jtransformers.api.ModelOptions;
import java.util.Objects;
import java.util.Optional;

/**
 * How {@link AutoModel} and {@link AutoModelForSequenceClassification} load a model: on the backend named, else the
 * highest-priority one that can load it on the device, with the engine options given. The same options a {@link
 * PipelineConfig} carries for its model. Immutable; build with {@link #builder()}.
 */
public final class LoadOptions {
  /** The best backend on the classpath, on the CPU, with the engine's default threads. */
  public static final LoadOptions DEFAULT = builder().build();

  private final String backend;
  private final String head;
  private final ModelOptions modelOptions;

  private LoadOptions(Builder b) {
    this.backend = b.backend;
    this.head = b.head;
    this.modelOptions = b.modelOptions.build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The backend's name, e.g. {@code onnx}; empty to choose by priority. */
  public Optional<String> backend() {
    return Optional.ofNullable(backend);
  }

  /**
   * A head trained by this project ({@code train-head}) to put on the model instead of its own classifier: a head
   * directory or an embedded head id, e.g. {@link dev.jtransformers.pipelines.tasks.TextClassification#DEFAULT_HEAD}.
   */
  public Optional<String> head() {
    return Optional.ofNullable(head);
  }

  /** The device, thread counts and backend-specific properties the model is loaded with. */
  public ModelOptions modelOptions() {
    return modelOptions;
  }

  @Override
  public String toString() {
    return "LoadOptions{backend=" + backend + ", head=" + head + ", " + modelOptions + "}";
  }

  /** Builds {@link LoadOptions}; every option is optional. */
  public static final class Builder {
    private String backend;
    private String head;
    private final ModelOptions.Builder modelOptions = ModelOptions.builder();

    private Builder() {}

    /** Loads on the backend of that name, e.g. {@code onnx}. */
    public Builder backend(String backend) {
      this.backend = Objects.requireNonNull(backend, "backend");
      return this;
    }

    /** Classifies with a head trained by this project: a head directory or an embedded head id. */
    public Builder head(String head) {
      this.head = Objects.requireNonNull(head, "head");
      return this;
    }

    /** Runs on this device; the CPU by default. */
    public Builder device(Device device) {
      modelOptions.device(device);
      return this;
    }

    /** Threads inside one operator; 0, the default, lets the engine choose. */
    public Builder intraOpThreads(int threads) {
      modelOptions.intraOpThreads(threads);
      return this;
    }

    /** Threads across independent operators; 0, the default, lets the engine choose. */
    public Builder interOpThreads(int threads) {
      modelOptions.interOpThreads(threads);
      return this;
    }

    /** A backend-specific setting, e.g. ONNX Runtime's {@code optimization_level}. */
    public Builder backendOption(String name, String value) {
      modelOptions.property(name, value);
      return this;
    }

    public LoadOptions build() {
      return new LoadOptions(this);
    }
  }
}
