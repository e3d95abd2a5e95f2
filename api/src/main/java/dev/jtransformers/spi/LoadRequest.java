package dev.jtransformers.spi;

import dev.jtransformers.api.Device;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Everything a {@link Backend} needs to load one model: the directory, its parsed {@code config.json}, the {@link
 * ModelFormat} to read, the device, thread counts, the backend's validated options, and where the engine may keep
 * files it unpacks (native libraries). A backend reads nothing else — no system properties, no global cache.
 * Immutable; build with {@link #builder}.
 */
public final class LoadRequest {
  /** The plain value types a configuration map may hold besides maps, lists and {@code null}. */
  private static final Set<Class<?>> PLAIN_VALUES =
      Set.of(
          String.class, Boolean.class, Integer.class, Long.class, Short.class, Byte.class, Double.class, Float.class,
          BigInteger.class, BigDecimal.class);

  private final Path modelDirectory;
  private final Map<String, Object> config;
  private final ModelFormat format;
  private final Device device;
  private final int intraOpThreads;
  private final int interOpThreads;
  private final BackendOptions options;
  private final Path cacheDirectory;
  private final Path adapter;

  private LoadRequest(Builder b) {
    this.modelDirectory = b.modelDirectory;
    this.config = b.config;
    this.format = b.format;
    this.device = b.device;
    this.intraOpThreads = b.intraOpThreads;
    this.interOpThreads = b.interOpThreads;
    this.options = b.options;
    this.cacheDirectory = b.cacheDirectory;
    this.adapter = b.adapter;
  }

  /**
   * A request to read {@code format} from {@code modelDirectory}: on the CPU, with engine-default threads, default
   * options, no configuration and no cache unless set.
   */
  public static Builder builder(Path modelDirectory, ModelFormat format) {
    return new Builder(modelDirectory, format);
  }

  /** A builder holding this request's values, to change some. */
  public Builder toBuilder() {
    Builder b = new Builder(modelDirectory, format);
    b.config = config;
    b.device = device;
    b.intraOpThreads = intraOpThreads;
    b.interOpThreads = interOpThreads;
    b.options = options;
    b.cacheDirectory = cacheDirectory;
    b.adapter = adapter;
    return b;
  }

  /** The local model directory. */
  public Path modelDirectory() {
    return modelDirectory;
  }

  /**
   * The model's {@code config.json} as plain values: {@code String}, {@code Boolean}, JDK {@code Number}s, {@code
   * null}, and lists and maps of them, in file order; empty when the directory has none. Deeply immutable. {@code
   * dev.jtransformers.models.ModelConfig.fromMap} reads it into typed values.
   */
  public Map<String, Object> config() {
    return config;
  }

  /** The format to read, one of the backend's {@link Backend#modelFormats()}; {@link ModelFormat#require} finds it. */
  public ModelFormat format() {
    return format;
  }

  /** Where the model runs. */
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

  /** The backend's own settings, validated against its {@link Backend#options()}. */
  public BackendOptions options() {
    return options;
  }

  /**
   * A directory the engine may keep unpacked files in across runs (native libraries), creating it if needed;
   * empty: the engine does as it does alone (typically unpacking into a new temporary directory).
   */
  public Optional<Path> cacheDirectory() {
    return Optional.ofNullable(cacheDirectory);
  }

  /**
   * A LoRA adapter in {@code peft}'s format (a directory with {@code adapter_config.json}) to merge into the
   * model's weights as they load; empty: none. A backend that cannot change the weights it runs refuses a request
   * with one.
   */
  public Optional<Path> adapter() {
    return Optional.ofNullable(adapter);
  }

  @Override
  public String toString() {
    return "LoadRequest{" + modelDirectory + ", " + format + ", " + device + ", intraOpThreads=" + intraOpThreads
        + ", interOpThreads=" + interOpThreads + ", options=" + options + ", cache=" + cacheDirectory
        + (adapter == null ? "" : ", adapter=" + adapter) + "}";
  }

  /** Builds a {@link LoadRequest}; the directory and format are given, everything else is optional. */
  public static final class Builder {
    private final Path modelDirectory;
    private final ModelFormat format;
    private Map<String, Object> config = Map.of();
    private Device device = Device.CPU;
    private int intraOpThreads;
    private int interOpThreads;
    private BackendOptions options = BackendOptions.DEFAULTS;
    private Path cacheDirectory;
    private Path adapter;

    private Builder(Path modelDirectory, ModelFormat format) {
      this.modelDirectory = Objects.requireNonNull(modelDirectory, "modelDirectory");
      this.format = Objects.requireNonNull(format, "format");
    }

    /**
     * The parsed {@code config.json}, copied.
     *
     * @throws IllegalArgumentException naming the key, if a value is not a plain JSON value (see {@link
     *     LoadRequest#config()})
     */
    public Builder config(Map<String, ?> config) {
      this.config = copyObject(Objects.requireNonNull(config, "config"), "config");
      return this;
    }

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

    /** The backend's settings, from {@link BackendOptions#parse}. */
    public Builder options(BackendOptions options) {
      this.options = Objects.requireNonNull(options, "options");
      return this;
    }

    public Builder cacheDirectory(Path cacheDirectory) {
      this.cacheDirectory = Objects.requireNonNull(cacheDirectory, "cacheDirectory");
      return this;
    }

    public Builder adapter(Path adapter) {
      this.adapter = Objects.requireNonNull(adapter, "adapter");
      return this;
    }

    public LoadRequest build() {
      return new LoadRequest(this);
    }

    private static int requireThreads(int threads) {
      if (threads < 0) {
        throw new IllegalArgumentException("thread count must not be negative, got " + threads);
      }
      return threads;
    }
  }

  // ---- deep, immutable copies of JSON-like values; unmodifiable wrappers, since JSON objects and arrays hold nulls

  private static Map<String, Object> copyObject(Map<?, ?> object, String path) {
    Map<String, Object> copy = new LinkedHashMap<>();
    object.forEach(
        (key, value) -> {
          if (!(key instanceof String name)) {
            throw new IllegalArgumentException(path + " has a key that is not a string: " + key);
          }
          copy.put(name, copyValue(value, path + "." + name));
        });
    return Collections.unmodifiableMap(copy);
  }

  private static Object copyValue(Object value, String path) {
    if (value == null || PLAIN_VALUES.contains(value.getClass())) {
      return value;
    }
    if (value instanceof Map<?, ?> object) {
      return copyObject(object, path);
    }
    if (value instanceof List<?> array) {
      List<Object> copy = new ArrayList<>(array.size());
      for (int i = 0; i < array.size(); i++) {
        copy.add(copyValue(array.get(i), path + "[" + i + "]"));
      }
      return Collections.unmodifiableList(copy);
    }
    throw new IllegalArgumentException(
        path + " is a " + value.getClass().getName() + "; a configuration holds strings, booleans, numbers, null,"
            + " lists and maps only");
  }
}
