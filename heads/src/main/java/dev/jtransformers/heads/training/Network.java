package dev.jtransformers.heads.training;

import dev.jtransformers.heads.Activation;
import java.util.Arrays;
import java.util.Random;

/**
 * The feed-forward classifier being trained: dense layers of the given widths, an activation (and dropout while
 * training) after every layer but the last, softmax cross-entropy on the last. All parameters live in one array,
 * each layer's weight {@code [outputs, inputs]} row-major followed by its bias, so the optimiser, the best-epoch
 * snapshot and the gradient check treat them alike.
 *
 * <p>Double precision, single-threaded, every sum in a fixed order: the same inputs give the same bits.
 */
final class Network {
  private final int[] widths;
  private final Activation activation;
  private final double dropout;
  private final int[] weightOffsets;
  private final int[] biasOffsets;
  private final int parameterCount;

  /**
   * @param widths layer widths, input first
   * @param activation applied after every layer but the last
   * @param dropout probability of zeroing a hidden unit while training
   */
  Network(int[] widths, Activation activation, double dropout) {
    this.widths = widths.clone();
    this.activation = activation;
    this.dropout = dropout;
    int layers = widths.length - 1;
    weightOffsets = new int[layers];
    biasOffsets = new int[layers];
    int offset = 0;
    for (int l = 0; l < layers; l++) {
      weightOffsets[l] = offset;
      offset += widths[l] * widths[l + 1];
      biasOffsets[l] = offset;
      offset += widths[l + 1];
    }
    parameterCount = offset;
  }

  int parameterCount() {
    return parameterCount;
  }

  int layerCount() {
    return widths.length - 1;
  }

  int inputs(int layer) {
    return widths[layer];
  }

  int outputs(int layer) {
    return widths[layer + 1];
  }

  int weightOffset(int layer) {
    return weightOffsets[layer];
  }

  int biasOffset(int layer) {
    return biasOffsets[layer];
  }

  /** PyTorch's default for {@code nn.Linear}: weights and biases uniform in {@code ±1/sqrt(inputs)}. */
  double[] initialParameters(Random random) {
    double[] parameters = new double[parameterCount];
    for (int l = 0; l < layerCount(); l++) {
      double bound = 1 / Math.sqrt(inputs(l));
      for (int i = weightOffsets[l]; i < biasOffsets[l] + outputs(l); i++) {
        parameters[i] = (2 * random.nextDouble() - 1) * bound;
      }
    }
    return parameters;
  }

  /**
   * The training objective on one batch, {@code mean(cross-entropy) + weightDecay / 2 * ||W||^2}, and its
   * gradient, which overwrites {@code gradient}.
   *
   * @param inputs at least {@code count} rows of {@link #inputs(int) inputs(0)} values
   * @param dropoutRandom draws the dropout masks (unused when dropout is 0)
   */
  double lossAndGradient(
      double[] parameters,
      double[][] inputs,
      int[] labels,
      int count,
      double weightDecay,
      Random dropoutRandom,
      double[] gradient) {
    Arrays.fill(gradient, 0);
    int layers = layerCount();
    double[][] activations = new double[layers + 1][]; // activations[l] is layer l's input
    double[][] preActivations = new double[layers][];
    double[][] masks = new double[layers][];
    for (int l = 0; l < layers; l++) {
      preActivations[l] = new double[outputs(l)];
      activations[l + 1] = new double[outputs(l)];
      masks[l] = new double[outputs(l)];
    }
    double loss = 0;
    double keep = 1 - dropout;
    for (int n = 0; n < count; n++) {
      activations[0] = inputs[n];
      for (int l = 0; l < layers; l++) {
        affine(parameters, l, activations[l], preActivations[l]);
        if (l < layers - 1) {
          for (int o = 0; o < outputs(l); o++) {
            masks[l][o] = dropout == 0 || dropoutRandom.nextDouble() < keep ? 1 / keep : 0;
            activations[l + 1][o] = activation.apply(preActivations[l][o]) * masks[l][o];
          }
        }
      }
      double[] logits = preActivations[layers - 1];
      double logSumExp = logSumExp(logits);
      loss += logSumExp - logits[labels[n]];
      double[] delta = new double[logits.length]; // d(loss)/d(logits) = softmax - one-hot
      for (int c = 0; c < logits.length; c++) {
        delta[c] = StrictMath.exp(logits[c] - logSumExp);
      }
      delta[labels[n]] -= 1;
      for (int l = layers - 1; l >= 0; l--) {
        double[] input = activations[l];
        int weights = weightOffsets[l];
        for (int o = 0; o < outputs(l); o++) {
          double d = delta[o] / count;
          int row = weights + o * inputs(l);
          for (int i = 0; i < inputs(l); i++) {
            gradient[row + i] += d * input[i];
          }
          gradient[biasOffsets[l] + o] += d;
        }
        if (l > 0) {
          double[] previous = new double[inputs(l)];
          for (int o = 0; o < outputs(l); o++) {
            int row = weights + o * inputs(l);
            for (int i = 0; i < inputs(l); i++) {
              previous[i] += parameters[row + i] * delta[o];
            }
          }
          for (int i = 0; i < previous.length; i++) {
            previous[i] *= activation.derivative(preActivations[l - 1][i]) * masks[l - 1][i];
          }
          delta = previous;
        }
      }
    }
    loss /= count;
    for (int l = 0; l < layers; l++) {
      for (int i = weightOffsets[l]; i < biasOffsets[l]; i++) {
        loss += weightDecay / 2 * parameters[i] * parameters[i];
        gradient[i] += weightDecay * parameters[i];
      }
    }
    return loss;
  }

  /** The logits for one input, without dropout. */
  double[] logits(double[] parameters, double[] input) {
    double[] values = input;
    for (int l = 0; l < layerCount(); l++) {
      double[] next = new double[outputs(l)];
      affine(parameters, l, values, next);
      if (l < layerCount() - 1) {
        for (int o = 0; o < next.length; o++) {
          next[o] = activation.apply(next[o]);
        }
      }
      values = next;
    }
    return values;
  }

  private void affine(double[] parameters, int layer, double[] input, double[] output) {
    int inputs = inputs(layer);
    for (int o = 0; o < output.length; o++) {
      double sum = parameters[biasOffsets[layer] + o];
      int row = weightOffsets[layer] + o * inputs;
      for (int i = 0; i < inputs; i++) {
        sum += parameters[row + i] * input[i];
      }
      output[o] = sum;
    }
  }

  /** {@code log(sum(exp(logits)))}, shifted by the maximum so that no exponential overflows. */
  static double logSumExp(double[] logits) {
    double max = Double.NEGATIVE_INFINITY;
    for (double logit : logits) {
      max = Math.max(max, logit);
    }
    double sum = 0;
    for (double logit : logits) {
      sum += StrictMath.exp(logit - max);
    }
    return max + StrictMath.log(sum);
  }
}
