package dev.jtransformers.heads.training;

import dev.jtransformers.heads.ConfigNames;

/** The shape of a trained head. */
public enum HeadType {
  /** Multinomial logistic regression: one dense layer from the sentence vector to the logits. */
  SOFTMAX,
  /** One hidden dense layer with an activation (and optional dropout while training), then the logits layer. */
  MLP;

  /** The name in {@code head_config.json}: {@code softmax} or {@code mlp}. */
  public String configName() {
    return ConfigNames.of(this);
  }

  /**
   * The head type {@code head_config.json} calls {@code name}.
   *
   * @throws IllegalArgumentException listing the valid names, if there is none of that name
   */
  public static HeadType fromConfigName(String name) {
    return ConfigNames.parse(HeadType.class, "head type", name);
  }
}
