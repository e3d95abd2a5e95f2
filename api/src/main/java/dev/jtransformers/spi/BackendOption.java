package dev.jtransformers.spi;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * A setting a {@link Backend} declares in {@link Backend#options()}, e.g. ONNX Runtime's {@code optimization_level}:
 * its name, what it does, its default, and how its text is read — one of a fixed set of values, or through a parser.
 * Configuration sets it as {@code <backend>.<name>}; {@link BackendOptions#parse} validates it. Immutable.
 *
 * @param <T> the value a backend reads, e.g. an enum of levels
 */
public final class BackendOption<T> {
  private final String name;
  private final String description;
  private final String defaultText;
  private final T defaultValue;
  private final List<String> allowedValues;
  private final String expected;
  private final Function<String, ? extends T> parser;

  private BackendOption(
      String name,
      String description,
      String defaultText,
      List<String> allowedValues,
      String expected,
      Function<String, ? extends T> parser) {
    this.name = requireName(name);
    this.description = Objects.requireNonNull(description, "description");
    this.defaultText = Objects.requireNonNull(defaultText, "defaultValue");
    this.allowedValues = allowedValues;
    this.expected = Objects.requireNonNull(expected, "expected");
    this.parser = Objects.requireNonNull(parser, "parser");
    this.defaultValue = parse(defaultText); // a default its own option rejects is the backend author's bug
  }

  /**
   * An option whose values are the constants of an enum, written in lower case ({@code ALL} is {@code all}); text is
   * matched ignoring case.
   *
   * @param defaultValue the value when configuration sets none; its enum's constants are the allowed values
   */
  public static <E extends Enum<E>> BackendOption<E> choice(String name, String description, E defaultValue) {
    Objects.requireNonNull(defaultValue, "defaultValue");
    E[] constants = defaultValue.getDeclaringClass().getEnumConstants();
    List<String> allowed = Arrays.stream(constants).map(BackendOption::lowerCase).toList();
    Function<String, E> parser =
        text ->
            Arrays.stream(constants)
                .filter(constant -> lowerCase(constant).equals(text.trim().toLowerCase(Locale.ROOT)))
                .findFirst()
                .orElseThrow(IllegalArgumentException::new);
    return new BackendOption<>(
        name, description, lowerCase(defaultValue), allowed, "one of " + String.join(", ", allowed), parser);
  }

  /**
   * An option read by a parser, e.g. {@code Integer::parseInt}.
   *
   * @param defaultValue the text used when configuration sets none
   * @param expected what a valid value looks like, for messages, e.g. {@code "a positive number of bytes"}
   * @param parser turns text into the value; throws (any {@link RuntimeException}) for text it rejects
   */
  public static <T> BackendOption<T> parsed(
      String name, String description, String defaultValue, String expected, Function<String, ? extends T> parser) {
    return new BackendOption<>(name, description, defaultValue, List.of(), expected, parser);
  }

  /** The name, without the backend's prefix, e.g. {@code optimization_level}. */
  public String name() {
    return name;
  }

  /** What the option does, for help texts. */
  public String description() {
    return description;
  }

  /** The default as configuration would write it, e.g. {@code all}. */
  public String defaultText() {
    return defaultText;
  }

  /** The value when configuration sets none. */
  public T defaultValue() {
    return defaultValue;
  }

  /** The values a {@linkplain #choice choice} allows, in declaration order; empty for a parsed option. */
  public List<String> allowedValues() {
    return allowedValues;
  }

  /** What a valid value looks like, e.g. {@code one of none, basic, extended, all}. */
  public String expected() {
    return expected;
  }

  /**
   * Reads a configured value.
   *
   * @throws IllegalArgumentException naming the text and what is {@linkplain #expected() expected}, if it is not a
   *     valid value
   */
  public T parse(String text) {
    Objects.requireNonNull(text, "text");
    T value;
    try {
      value = parser.apply(text);
    } catch (RuntimeException e) {
      String reason = e.getMessage() == null ? "" : " (" + e.getMessage() + ")";
      throw new IllegalArgumentException("'" + text + "' is not " + expected + reason, e);
    }
    if (value == null) {
      throw new IllegalArgumentException("'" + text + "' is not " + expected);
    }
    return value;
  }

  private static String requireName(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isBlank() || !name.equals(name.trim())) {
      throw new IllegalArgumentException("option name must be non-blank, without surrounding spaces: '" + name + "'");
    }
    return name;
  }

  private static String lowerCase(Enum<?> constant) {
    return constant.name().toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return name + " (" + expected + "; default " + defaultText + "): " + description;
  }
}
