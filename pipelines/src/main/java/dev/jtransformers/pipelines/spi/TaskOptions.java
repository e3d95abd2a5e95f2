package dev.jtransformers.pipelines.spi;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The values set for a task's {@link TaskOption}s. Only options of that task can be set; unset ones read as their
 * default. Immutable; build with {@link #builder(Task)}.
 */
public final class TaskOptions {
  private final Map<TaskOption<?>, Object> values;

  private TaskOptions(Map<TaskOption<?>, Object> values) {
    this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  /** A builder that accepts the options of {@code task}. */
  public static Builder builder(Task<?> task) {
    return new Builder(task, false);
  }

  /**
   * A builder for the parameters of one call: it accepts the options of {@code task} that a call may set, and refuses
   * those {@linkplain TaskOption#fixedPerPipeline() fixed} when the pipeline is built.
   */
  public static Builder parameters(Task<?> task) {
    return new Builder(task, true);
  }

  /** The value set for {@code option}, else its default; empty when neither is there (the model decides). */
  public <T> Optional<T> get(TaskOption<T> option) {
    Object value = values.get(Objects.requireNonNull(option, "option"));
    if (value == null) {
      return option.defaultValue();
    }
    @SuppressWarnings("unchecked") // the builder stores only values of the option's own type
    T typed = (T) value;
    return Optional.of(typed);
  }

  /** These options with {@code overrides}' explicit values put over them. */
  public TaskOptions with(TaskOptions overrides) {
    if (overrides.values.isEmpty()) {
      return this;
    }
    Map<TaskOption<?>, Object> merged = new LinkedHashMap<>(values);
    merged.putAll(overrides.values);
    return new TaskOptions(merged);
  }

  /** The options set explicitly, with their JSON forms, in the order they were set. */
  public Map<String, JsonNode> toJson() {
    Map<String, JsonNode> json = new LinkedHashMap<>();
    values.forEach((option, value) -> json.put(option.name(), toJson(option, value)));
    return Collections.unmodifiableMap(json);
  }

  private static <T> JsonNode toJson(TaskOption<T> option, Object value) {
    @SuppressWarnings("unchecked") // the builder stores only values of the option's own type
    T typed = (T) value;
    return option.toJson(typed);
  }

  /** A builder holding these values, to change some of them. */
  public Builder toBuilder(Task<?> task) {
    Builder b = new Builder(task, false);
    values.forEach((option, value) -> b.values.put(b.known(option.name()), value));
    return b;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TaskOptions other && toJson().equals(other.toJson());
  }

  @Override
  public int hashCode() {
    return toJson().hashCode();
  }

  @Override
  public String toString() {
    return toJson().toString();
  }

  /** Builds {@link TaskOptions}. */
  public static final class Builder {
    private final Task<?> task;
    private final boolean perCallOnly;
    private final Map<TaskOption<?>, Object> values = new LinkedHashMap<>();

    private Builder(Task<?> task, boolean perCallOnly) {
      this.task = Objects.requireNonNull(task, "task");
      this.perCallOnly = perCallOnly;
    }

    /**
     * Sets an option.
     *
     * @throws IllegalArgumentException if the task has no such option
     */
    public <T> Builder set(TaskOption<T> option, T value) {
      Objects.requireNonNull(option, "option");
      if (known(option.name()) != option) {
        throw new IllegalArgumentException("option '" + option.name() + "' is not the one task " + task.name()
            + " defines");
      }
      values.put(option, Objects.requireNonNull(value, option.name()));
      return this;
    }

    /**
     * Sets an option by name from its JSON form.
     *
     * @throws IllegalArgumentException naming the option, if the task has none of that name or the value is invalid
     */
    public Builder set(String name, JsonNode value) {
      return read(known(name), value);
    }

    /**
     * Sets an option by name from text, as a command line gives it.
     *
     * @throws IllegalArgumentException naming the option, if the task has none of that name or the value is invalid
     */
    public Builder parse(String name, String value) {
      return parse(known(name), value);
    }

    private <T> Builder parse(TaskOption<T> option, String value) {
      values.put(option, option.parse(value));
      return this;
    }

    private <T> Builder read(TaskOption<T> option, JsonNode value) {
      values.put(option, option.fromJson(value));
      return this;
    }

    /** Whether the task has an option of that name. */
    public boolean accepts(String name) {
      return task.options().stream().anyMatch(o -> o.name().equals(name));
    }

    private TaskOption<?> known(String name) {
      List<TaskOption<?>> options = task.options();
      TaskOption<?> option =
          options.stream()
              .filter(o -> o.name().equals(name))
              .findFirst()
              .orElseThrow(() -> new IllegalArgumentException("task " + task.name() + " has no option '" + name
                  + "'; its options: " + options.stream().map(TaskOption::name).toList()));
      if (perCallOnly && !option.perCall()) {
        throw new IllegalArgumentException("'" + name + "' is fixed when the pipeline is built; set it in the"
            + " pipeline's configuration, not per call");
      }
      return option;
    }

    public TaskOptions build() {
      return new TaskOptions(values);
    }
  }
}
