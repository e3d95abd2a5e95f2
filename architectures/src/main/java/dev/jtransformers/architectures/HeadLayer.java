package dev.jtransformers.architectures;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One layer of a task head: a linear layer, its activation, and (in masked-LM heads) a layer norm after them.
 *
 * @param linear the layer's weights
 * @param activation applied to the linear layer's outputs
 * @param norm applied after the activation, if any
 */
public record HeadLayer(Linear linear, Activation activation, Optional<LayerNorm> norm) {
  public HeadLayer {
    Objects.requireNonNull(linear, "linear");
    Objects.requireNonNull(activation, "activation");
    Objects.requireNonNull(norm, "norm");
  }

  /** A layer without a norm. */
  public static HeadLayer of(Linear linear, Activation activation) {
    return new HeadLayer(linear, activation, Optional.empty());
  }

  /** Every parameter: the linear layer's, then the norm's. */
  public List<Parameter> parameters() {
    List<Parameter> parameters = new ArrayList<>(linear.parameters());
    norm.ifPresent(n -> parameters.addAll(n.parameters()));
    return List.copyOf(parameters);
  }
}
