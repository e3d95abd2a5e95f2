package dev.jtransformers.models;

import java.util.Arrays;
import java.util.Locale;

/**
 * A way to reduce the token vectors of one input to one vector, as sentence-transformers names them: what a model's
 * Pooling stage switches on, and what a pooling head or a feature-extraction pipeline is asked for. Configuration
 * writes each in lower case ({@code mean}).
 */
public enum Pooling {
  /** The vector of the first token ({@code [CLS]}). */
  CLS("pooling_mode_cls_token"),
  /** The element-wise maximum over the real tokens. */
  MAX("pooling_mode_max_tokens"),
  /** The mean of the vectors of the real (unpadded) tokens. */
  MEAN("pooling_mode_mean_tokens"),
  /** The sum over the real tokens divided by the square root of their count. */
  MEAN_SQRT_LEN("pooling_mode_mean_sqrt_len_tokens"),
  /** A mean weighted by token position. */
  WEIGHTED_MEAN("pooling_mode_weightedmean_tokens"),
  /** The vector of the last real token. */
  LAST_TOKEN("pooling_mode_lasttoken");

  private final String key;

  Pooling(String key) {
    this.key = key;
  }

  /** The flag in a sentence-transformers Pooling stage's {@code config.json} that switches this mode on. */
  public String key() {
    return key;
  }

  /** The name configuration uses, e.g. {@code mean}. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The pooling configuration calls {@code name}.
   *
   * @throws IllegalArgumentException listing the valid names, if there is none of that name
   */
  public static Pooling fromConfigName(String name) {
    return Arrays.stream(values())
        .filter(p -> p.configName().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("pooling must be one of "
            + Arrays.stream(values()).map(Pooling::configName).toList() + ", got '" + name + "'"));
  }
}
