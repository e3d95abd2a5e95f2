package dev.jtransformers.heads;

import java.util.Arrays;
import java.util.Locale;

/**
 * The names under which enum constants appear in configuration and saved heads: the constant's name in lower case
 * ({@code Pooling.MEAN} is {@code "mean"}).
 */
public final class ConfigNames {
  private ConfigNames() {}

  /** The configuration name of {@code constant}. */
  public static String of(Enum<?> constant) {
    return constant.name().toLowerCase(Locale.ROOT);
  }

  /**
   * The constant of {@code type} whose configuration name is {@code name}.
   *
   * @param what what the name selects, for the message (e.g. {@code "pooling"})
   * @throws IllegalArgumentException listing the valid names, if none matches
   */
  public static <E extends Enum<E>> E parse(Class<E> type, String what, String name) {
    for (E constant : type.getEnumConstants()) {
      if (of(constant).equals(name)) {
        return constant;
      }
    }
    throw new IllegalArgumentException(
        what
            + " must be one of "
            + Arrays.stream(type.getEnumConstants()).map(ConfigNames::of).toList()
            + ", got '"
            + name
            + "'");
  }
}
