package dev.jtransformers.architectures;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Low-rank adaptation (LoRA) as Python {@code peft} configures it: each targeted linear layer {@code y = x W^T + b}
 * gains {@code scaling · B A x} with {@code A [rank, inputs]}, {@code B [outputs, rank]} and {@code scaling = alpha /
 * rank}; the base weights stay frozen. Modules to save (a new classifier) are trained in full and stored beside the
 * adapter. Immutable.
 *
 * @param rank {@code r}, the adapter matrices' inner width
 * @param alpha {@code lora_alpha}
 * @param dropout {@code lora_dropout}, applied to a targeted layer's input on the adapter's path while training
 * @param targetModules {@code target_modules}: a linear layer is targeted when its module path is one of these or
 *     ends with {@code .} and one of these ({@code query} targets every {@code ...attention.self.query})
 * @param modulesToSave {@code modules_to_save}: modules whose parameters are trained and saved in full, matched
 *     the same way ({@code classifier}, {@code pooler})
 */
public record LoraConfig(int rank, double alpha, double dropout, List<String> targetModules, List<String> modulesToSave) {
  /** @throws IllegalArgumentException if the rank is not positive, the dropout outside [0, 1), or no target given */
  public LoraConfig {
    targetModules = List.copyOf(targetModules);
    modulesToSave = List.copyOf(modulesToSave);
    if (rank < 1) {
      throw new IllegalArgumentException("the LoRA rank must be at least 1, got " + rank);
    }
    if (!(dropout >= 0 && dropout < 1)) {
      throw new IllegalArgumentException("lora_dropout must be in [0, 1), got " + dropout);
    }
    if (targetModules.isEmpty()) {
      throw new IllegalArgumentException("LoRA needs at least one target module");
    }
  }

  /** {@code alpha / rank}, the factor of the adapter's output. */
  public double scaling() {
    return alpha / rank;
  }

  /** The module path of a linear layer: its weight's name less {@code .weight}. */
  public static String modulePath(Linear linear) {
    String weight = linear.weight().name();
    return weight.substring(0, weight.length() - ".weight".length());
  }

  /**
   * The linear layers of {@code spec} that {@link #targetModules} names, in checkpoint order; a layer tied to
   * another module's weight (a masked LM's decoder) is never one.
   *
   * @throws IllegalArgumentException naming the target, if one matches no layer
   */
  public List<Linear> targets(NetworkSpec spec) {
    List<Linear> linears =
        Stream.concat(
                spec.layers().stream()
                    .flatMap(
                        l -> Stream.of(l.query(), l.key(), l.value(), l.attentionOutput(), l.intermediate(), l.output())),
                spec.head().layers().stream().map(HeadLayer::linear))
            .filter(linear -> linear.weight().name().endsWith(".weight"))
            .toList();
    for (String target : targetModules) {
      if (linears.stream().noneMatch(linear -> matches(modulePath(linear), target))) {
        throw new IllegalArgumentException(
            "LoRA target module '" + target + "' matches no linear layer of " + spec.className());
      }
    }
    return linears.stream()
        .filter(linear -> targetModules.stream().anyMatch(target -> matches(modulePath(linear), target)))
        .toList();
  }

  /**
   * The parameters of {@code spec} inside one of {@link #modulesToSave}, in checkpoint order.
   *
   * @throws IllegalArgumentException naming the module, if one matches no parameter
   */
  public List<Parameter> savedParameters(NetworkSpec spec) {
    List<Parameter> saved = new ArrayList<>();
    for (String module : modulesToSave) {
      List<Parameter> inside = spec.parameters().stream().filter(p -> isInside(p.name(), module)).toList();
      if (inside.isEmpty()) {
        throw new IllegalArgumentException("module to save '" + module + "' matches no parameter of " + spec.className());
      }
      inside.stream().filter(p -> !saved.contains(p)).forEach(saved::add);
    }
    return List.copyOf(saved);
  }

  /** Whether some module path that holds {@code parameter} (a prefix ending at a dot) matches {@code module}. */
  private static boolean isInside(String parameter, String module) {
    for (int dot = parameter.indexOf('.'); dot > 0; dot = parameter.indexOf('.', dot + 1)) {
      if (matches(parameter.substring(0, dot), module)) {
        return true;
      }
    }
    return false;
  }

  /** PEFT's rule: the path is the target, or ends with a dot and the target. */
  static boolean matches(String modulePath, String target) {
    Objects.requireNonNull(target, "target");
    return modulePath.equals(target) || modulePath.endsWith("." + target);
  }
}
