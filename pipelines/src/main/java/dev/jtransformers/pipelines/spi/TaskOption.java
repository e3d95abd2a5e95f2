package dev.jtransformers.pipelines.spi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * One option of a {@link Task}, under Python's keyword name ({@code top_k}, {@code function_to_apply}): its type,
 * how it reads and writes JSON (config files, the CLI, a server), and its default. Immutable.
 *
 * <p>An option without a default is decided by the model when the pipeline is built (e.g. {@code function_to_apply}
 * follows the model's {@code problem_type}).
 *
 * @param <T> the option's value type
 */
public final class TaskOption<T> {
  private final String name;
  private final String description;
  private final Function<JsonNode, T> reader;
  private final Function<T, JsonNode> writer;
  private final T defaultValue;
  private final boolean flag;
  private final boolean perCall;

  private TaskOption(String name, String description, Function<JsonNode, T> reader, Function<T, JsonNode> writer,
      T defaultValue, boolean flag, boolean perCall) {
    this.flag = flag;
    this.perCall = perCall;
    this.name = requireName(name);
    this.description = Objects.requireNonNull(description, "description");
    this.reader = Objects.requireNonNull(reader, "reader");
    this.writer = Objects.requireNonNull(writer, "writer");
    this.defaultValue = defaultValue;
  }

  /**
   * An option of any type.
   *
   * @param reader parses a JSON value, throwing {@link IllegalArgumentException} with the reason when it is invalid
   * @param writer the JSON form {@code reader} reads back
   * @param defaultValue the value when unset, or {@code null} when the model decides
   */
  public static <T> TaskOption<T> of(
      String name, String description, Function<JsonNode, T> reader, Function<T, JsonNode> writer, T defaultValue) {
    return new TaskOption<>(name, description, reader, writer, defaultValue, false, true);
  }

  /** A positive integer option. */
  public static TaskOption<Integer> positiveInteger(String name, String description, Integer defaultValue) {
    return of(name, description, node -> {
      if (!node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() <= 0) {
        throw new IllegalArgumentException("must be a positive integer, got " + node);
      }
      return node.intValue();
    }, IntNode::valueOf, defaultValue);
  }

  /** A {@code true}/{@code false} option. */
  public static TaskOption<Boolean> flag(String name, String description, Boolean defaultValue) {
    return new TaskOption<>(name, description, node -> {
      if (!node.isBoolean()) {
        throw new IllegalArgumentException("must be true or false, got " + node);
      }
      return node.booleanValue();
    }, BooleanNode::valueOf, defaultValue, true, true);
  }

  /** An option whose values are an enum's constants, written in lower case ({@code SOFTMAX} is {@code softmax}). */
  public static <E extends Enum<E>> TaskOption<E> choice(
      String name, String description, Class<E> type, E defaultValue) {
    return of(name, description, node -> parseConstant(type, node), e -> TextNode.valueOf(lowerCase(e)), defaultValue);
  }

  private static <E extends Enum<E>> E parseConstant(Class<E> type, JsonNode node) {
    for (E constant : type.getEnumConstants()) {
      if (node.isTextual() && lowerCase(constant).equals(node.textValue())) {
        return constant;
      }
    }
    throw new IllegalArgumentException("must be one of "
        + Arrays.stream(type.getEnumConstants()).map(TaskOption::lowerCase).toList() + ", got " + node);
  }

  private static String lowerCase(Enum<?> constant) {
    return constant.name().toLowerCase(Locale.ROOT);
  }

  private static String requireName(String name) {
    if (name == null || !name.matches("[a-z][a-z0-9_]*")) {
      throw new IllegalArgumentException("an option name is snake_case, as Python's keyword: got " + name);
    }
    return name;
  }

  /** Python's keyword name, e.g. {@code top_k}; also the config-file key. */
  public String name() {
    return name;
  }

  /** One line for help texts. */
  public String description() {
    return description;
  }

  /**
   * This option, fixed when the pipeline is built: a call can't change it (e.g. a setting that chooses the head).
   * Options can be given per call by default, as Python's call keyword arguments.
   */
  public TaskOption<T> fixedPerPipeline() {
    return new TaskOption<>(name, description, reader, writer, defaultValue, flag, false);
  }

  /** Whether a single call may set this option; otherwise only the pipeline's configuration can. */
  public boolean perCall() {
    return perCall;
  }

  /** Whether this is a true/false switch, which a command line gives as {@code --name} or {@code --no-name}. */
  public boolean isFlag() {
    return flag;
  }

  /** The value when unset; empty when the model decides. */
  public Optional<T> defaultValue() {
    return Optional.ofNullable(defaultValue);
  }

  /**
   * Reads a value from JSON.
   *
   * @throws IllegalArgumentException naming this option, if the value is invalid
   */
  public T fromJson(JsonNode value) {
    Objects.requireNonNull(value, name);
    try {
      return Objects.requireNonNull(reader.apply(value), name);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + name + "' " + e.getMessage(), e);
    }
  }

  /**
   * Reads a value from text as typed on a command line: a JSON number, {@code true}, {@code false} or {@code null}
   * is read as such, anything else as a string.
   *
   * @throws IllegalArgumentException naming this option, if the value is invalid
   */
  public T parse(String text) {
    Objects.requireNonNull(text, name);
    return fromJson(scalar(text.trim()));
  }

  private static JsonNode scalar(String text) {
    JsonNodeFactory nodes = JsonNodeFactory.instance;
    switch (text) {
      case "true":
        return nodes.booleanNode(true);
      case "false":
        return nodes.booleanNode(false);
      case "null":
        return nodes.nullNode();
      default:
        if (text.matches("-?\\d{1,9}")) {
          return nodes.numberNode(Integer.parseInt(text));
        }
        return nodes.textNode(text);
    }
  }

  /** The JSON form of a value, which {@link #fromJson} reads back. */
  public JsonNode toJson(T value) {
    return writer.apply(Objects.requireNonNull(value, name));
  }

  @Override
  public String toString() {
    return name;
  }
}
