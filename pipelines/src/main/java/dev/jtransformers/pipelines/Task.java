package dev.jtransformers.pipelines;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The tasks a pipeline can do, under Hugging Face's names. */
public enum Task {
  /** Scored labels per text or pair; alias {@code sentiment-analysis}. */
  TEXT_CLASSIFICATION("text-classification", "sentiment-analysis"),
  /** Token hidden states, or a pooled sentence vector. */
  FEATURE_EXTRACTION("feature-extraction");

  private final String id;
  private final List<String> aliases;

  Task(String id, String... aliases) {
    this.id = id;
    this.aliases = List.of(aliases);
  }

  /** The Hugging Face task name, e.g. {@code text-classification}. */
  public String id() {
    return id;
  }

  /**
   * The task of that name or alias.
   *
   * @throws IllegalArgumentException listing the known names
   */
  public static Task of(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    return Arrays.stream(values())
        .filter(t -> t.id.equals(n) || t.aliases.contains(n))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown task '" + name + "'; known: "
                        + Arrays.stream(values())
                            .flatMap(t -> Stream.concat(Stream.of(t.id), t.aliases.stream()))
                            .collect(Collectors.joining(", "))));
  }

  @Override
  public String toString() {
    return id;
  }
}
