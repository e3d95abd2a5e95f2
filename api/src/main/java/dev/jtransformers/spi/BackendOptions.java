package dev.jtransformers.spi;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The settings of one backend's {@linkplain Backend#options() declared options}, validated and parsed: what a
 * {@link LoadRequest} carries. Immutable.
 *
 * <p>Configuration names backend options {@code <backend>.<option>}, e.g. {@code onnx.optimization_level}, so one
 * configuration can carry settings for several engines: {@link #parse} keeps those of the backend it is given and
 * ignores those of others.
 */
public final class BackendOptions {
  /** No settings: every option has its default. */
  public static final BackendOptions DEFAULTS = new BackendOptions(new IdentityHashMap<>(), new TreeMap<>());

  /** Parsed values, keyed by the declaring option itself, so {@link #get} is type-safe. */
  private final Map<BackendOption<?>, Object> values;

  /** The settings as configured, by their full keys, for messages. */
  private final SortedMap<String, String> settings;

  private BackendOptions(Map<BackendOption<?>, Object> values, SortedMap<String, String> settings) {
    this.values = values;
    this.settings = Collections.unmodifiableSortedMap(settings);
  }

  /**
   * Validates the settings meant for {@code backend} against the options it declares.
   *
   * @param settings backend options by their full key, {@code <backend>.<option>}; keys of other backends are
   *     ignored
   * @throws IllegalArgumentException for a key without a backend prefix (saying to add one), for an option {@code
   *     backend} does not declare (naming the ones it does), or for a value the option rejects (naming the allowed
   *     values)
   */
  public static BackendOptions parse(Backend backend, Map<String, String> settings) {
    Objects.requireNonNull(backend, "backend");
    Objects.requireNonNull(settings, "settings");
    String prefix = backend.name() + ".";
    Map<String, BackendOption<?>> declared = new LinkedHashMap<>();
    for (BackendOption<?> option : backend.options()) {
      if (declared.put(option.name(), option) != null) {
        throw new IllegalStateException(
            "backend '" + backend.name() + "' declares option '" + option.name() + "' twice");
      }
    }
    Map<BackendOption<?>, Object> values = new IdentityHashMap<>();
    SortedMap<String, String> own = new TreeMap<>();
    // Sorted, so that of several bad keys the same one is reported every time.
    for (Map.Entry<String, String> setting : new TreeMap<>(settings).entrySet()) {
      String key = setting.getKey();
      if (key.indexOf('.') <= 0) {
        throw new IllegalArgumentException(
            "backend option '" + key + "' names no backend: prefix it with the backend's name, e.g. '" + prefix + key
                + "' (backend options are written <backend>.<option>)");
      }
      if (!key.startsWith(prefix)) {
        continue; // meant for another backend
      }
      BackendOption<?> option = declared.get(key.substring(prefix.length()));
      if (option == null) {
        throw new IllegalArgumentException(
            "unknown backend option '" + key + "': backend '" + backend.name() + "' "
                + (declared.isEmpty() ? "has no options" : "has the options " + declared.keySet()));
      }
      String text = Objects.requireNonNull(setting.getValue(), () -> "value of backend option " + key);
      try {
        values.put(option, option.parse(text));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("backend option " + key + ": " + e.getMessage(), e);
      }
      own.put(key, text);
    }
    return new BackendOptions(values, own);
  }

  /** The option's configured value, else its {@linkplain BackendOption#defaultValue() default}. */
  public <T> T get(BackendOption<T> option) {
    Objects.requireNonNull(option, "option");
    @SuppressWarnings("unchecked") // stored by parse() from option.parse(), so of the option's type
    T value = (T) values.get(option);
    return value == null ? option.defaultValue() : value;
  }

  /** The settings that were given (each validated), by their full keys; the others have their defaults. */
  public SortedMap<String, String> settings() {
    return settings;
  }

  @Override
  public String toString() {
    return settings.toString();
  }
}
