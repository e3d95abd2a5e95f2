package dev.jtransformers.backend.pytorch;

/**
 * The hyper-parameters of AdamW ({@code torch.optim.AdamW}: Adam with weight decay decoupled from the gradient),
 * as {@code transformers}' {@code Trainer} uses it: no decay on biases and layer-norm parameters.
 *
 * @param beta1 the first moment's decay
 * @param beta2 the second moment's decay
 * @param epsilon added to the second moment's root
 * @param weightDecay each step multiplies a decayed parameter by {@code 1 - learningRate · weightDecay}
 */
public record AdamW(double beta1, double beta2, double epsilon, double weightDecay) {
  /** {@code transformers}' defaults with weight decay 0.01: betas 0.9 and 0.999, epsilon 1e-8. */
  public static final AdamW DEFAULT = new AdamW(0.9, 0.999, 1e-8, 0.01);

  /** @throws IllegalArgumentException if a beta is outside [0, 1), epsilon not positive, or the decay negative */
  public AdamW {
    if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
      throw new IllegalArgumentException("AdamW betas must be in [0, 1), got " + beta1 + " and " + beta2);
    }
    if (!(epsilon > 0) || !(weightDecay >= 0)) {
      throw new IllegalArgumentException(
          "AdamW needs epsilon > 0 and weight decay >= 0, got " + epsilon + " and " + weightDecay);
    }
  }

  /** This optimiser with another weight decay. */
  public AdamW withWeightDecay(double decay) {
    return new AdamW(beta1, beta2, epsilon, decay);
  }
}
