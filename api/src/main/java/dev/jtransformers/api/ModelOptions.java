package dev.jtransformers.api;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Engine-neutral options for loading a model: device, thread counts, and backend-specific properties (e.g. ONNX
 * Runtime's {@code optimization_level}). Immutable; build with {@link #builder()}.
 */
public final class ModelOptions {
  /** CPU, engine-default threads, no properties. */
  public static final ModelOptions DEFAULT = builder().build();

  private final Device device;
  private final int intraOpThreads;
  private final int interOpThreads;
  private final Map<String, String> properties;

  private ModelOptions(Builder b) {
    this.device = b.device;
    this.intraOpThreads = b.intraOpThreads;
    this.interOpThreads = b.interOpThreads;
    this.properties = Map.copyOf(b.properties);
  }

  public static Builder builder() {
    return new Builder();
  }

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

  /** Backend-specific settings by name; a backend ignores the ones it does not know. */
  public Map<String, String> properties() {
    return properties;
  }

  @Override
  public String toString() {
    return "ModelOptions{device=" + device + ", intraOpThreads=" + intraOpThreads + ", interOpThreads="
        + interOpThreads + ", properties=" + properties + "}";
  }

  /** Builds {@link ModelOptions}. */
  public static final class Builder {
    private Device device = Device.CPU;
    private int intraOpThreads;
    private int interOpThreads;
    private final Map<String, String> properties = new TreeMap<>();

    private Builder() {}

    public Builder device(Device device) {
      this.device = Objects.requireNonNull(device, "device");
      return this;
    }

    public Builder intraOpThreads(int threads) {
      this.intraOpThreads = requireThreads(threads);
      return this;
    }

    public Builder interOpThreads(int threads) {
      this.interOpThreads = requireThreads(threads);
      return this;
    }

    public Builder property(String name, String value) {
      properties.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
      return this;
    }

    private static int requireThreads(int threads) {
      if (threads < 0) {
        throw new IllegalArgumentException("thread count must not be negative, got " + threads);
      }
      return threads;
    }

    public ModelOptions build() {
      return new ModelOptions(this);
    }
  }
}
