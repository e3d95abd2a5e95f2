package dev.jtransformers.heads.training;

import java.util.Arrays;

/**
 * Scales each input dimension to zero mean and unit variance over the training split, so that one learning rate
 * suits every dimension. When training ends the scaling is folded into the first layer, and the saved head takes
 * raw vectors.
 */
final class Standardizer {
  private final double[] mean;
  private final double[] scale;

  private Standardizer(double[] mean, double[] scale) {
    this.mean = mean;
    this.scale = scale;
  }

  /** Leaves vectors as they are. */
  static Standardizer identity(int dimensions) {
    double[] ones = new double[dimensions];
    Arrays.fill(ones, 1);
    return new Standardizer(new double[dimensions], ones);
  }

  /** Mean and (population) standard deviation of {@code rows} of {@code features}; constant dimensions keep scale 1. */
  static Standardizer fit(float[][] features, int[] rows) {
    int dimensions = features[rows[0]].length;
    double[] mean = new double[dimensions];
    for (int row : rows) {
      for (int i = 0; i < dimensions; i++) {
        mean[i] += features[row][i];
      }
    }
    for (int i = 0; i < dimensions; i++) {
      mean[i] /= rows.length;
    }
    double[] scale = new double[dimensions];
    for (int row : rows) {
      for (int i = 0; i < dimensions; i++) {
        double centered = features[row][i] - mean[i];
        scale[i] += centered * centered;
      }
    }
    for (int i = 0; i < dimensions; i++) {
      double deviation = Math.sqrt(scale[i] / rows.length);
      scale[i] = deviation > 0 ? deviation : 1;
    }
    return new Standardizer(mean, scale);
  }

  /** Writes the standardised {@code vector} into {@code target}. */
  void apply(float[] vector, double[] target) {
    for (int i = 0; i < mean.length; i++) {
      target[i] = (vector[i] - mean[i]) / scale[i];
    }
  }

  /**
   * Folds the scaling into layer 0 of {@code parameters} (in place), so that the layer gives on raw vectors what
   * it gave on standardised ones: {@code W' = W / scale}, {@code b' = b - W' mean}.
   */
  void foldIntoFirstLayer(Network network, double[] parameters) {
    int inputs = network.inputs(0);
    for (int o = 0; o < network.outputs(0); o++) {
      int row = network.weightOffset(0) + o * inputs;
      double shift = 0;
      for (int i = 0; i < inputs; i++) {
        parameters[row + i] /= scale[i];
        shift += parameters[row + i] * mean[i];
      }
      parameters[network.biasOffset(0) + o] -= shift;
    }
  }
}
