package dev.jtransformers.heads;

/**
 * The element-wise function after a {@link DenseLayer}. Computed with {@link StrictMath} so results are the same
 * bits on every platform (trained heads are reproducible).
 */
public enum Activation {
  /** No activation: the layer's affine output as is (classifier layers). */
  IDENTITY {
    @Override
    public double apply(double x) {
      return x;
    }

    @Override
    public double derivative(double x) {
      return 1;
    }
  },
  /** {@code max(0, x)}: DistilBERT's pre-classifier, and hidden layers of trained heads. */
  RELU {
    @Override
    public double apply(double x) {
      return x > 0 ? x : 0;
    }

    @Override
    public double derivative(double x) {
      return x > 0 ? 1 : 0;
    }
  },
  /** Hyperbolic tangent: BERT's pooler. */
  TANH {
    @Override
    public double apply(double x) {
      return StrictMath.tanh(x);
    }

    @Override
    public double derivative(double x) {
      double t = StrictMath.tanh(x);
      return 1 - t * t;
    }
  };

  /** The function's value at {@code x}. */
  public abstract double apply(double x);

  /** The function's derivative at {@code x} (for ReLU, 0 at the kink). */
  public abstract double derivative(double x);

  /** The name configuration uses, e.g. {@code relu}. */
  public String configName() {
    return ConfigNames.of(this);
  }

  /**
   * The activation configuration calls {@code name}.
   *
   * @throws IllegalArgumentException listing the valid names, if there is none of that name
   */
  public static Activation fromConfigName(String name) {
    return ConfigNames.parse(Activation.class, "activation", name);
  }
}
