package dev.jtransformers.heads;

import dev.jtransformers.spi.HeadContext;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A head factory's view of its string options, checked against the options it knows so that a misspelt option
 * is an error rather than silently ignored. Immutable.
 */
public final class HeadOptions {
  private final String head;
  private final Map<String, String> values;

  private HeadOptions(String head, Map<String, String> values) {
    this.head = head;
    this.values = values;
  }

  /**
   * The options of {@code context} for the head factory named {@code head}.
   *
   * @param known the option names the factory understands
   * @throws IllegalArgumentException naming the unknown options and the known ones, if there are any unknown
   */
  public static HeadOptions of(String head, HeadContext context, Set<String> known) {
    Objects.requireNonNull(head, "head");
    Set<String> unknown = new TreeSet<>(context.options().keySet());
    unknown.removeAll(known);
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(
          "head '" + head + "' has no option " + unknown + "; its options are " + new TreeSet<>(known));
    }
    return new HeadOptions(head, context.options());
  }

  /** The option's value, if given. */
  public Optional<String> get(String name) {
    return Optional.ofNullable(values.get(name));
  }

  /**
   * The option's value.
   *
   * @throws IllegalArgumentException if it is not given
   */
  public String require(String name) {
    return get(name).orElseThrow(() -> new IllegalArgumentException("head '" + head + "' needs option '" + name + "'"));
  }

  /**
   * A {@code true}/{@code false} option.
   *
   * @throws IllegalArgumentException if the value is neither
   */
  public boolean flag(String name, boolean defaultValue) {
    return get(name)
        .map(
            value ->
                switch (value) {
                  case "true" -> true;
                  case "false" -> false;
                  default -> throw new IllegalArgumentException(
                      "head '" + head + "' option '" + name + "' must be true or false, got '" + value + "'");
                })
        .orElse(defaultValue);
  }

  /**
   * An option naming an enum constant by its {@linkplain ConfigNames configuration name}.
   *
   * @throws IllegalArgumentException listing the valid names, if the value is none of them
   */
  public <E extends Enum<E>> E choice(String name, Class<E> type, E defaultValue) {
    String what = "head '" + head + "' option '" + name + "'";
    return get(name).map(value -> ConfigNames.parse(type, what, value)).orElse(defaultValue);
  }
}
