package dev.jtransformers.heads.training;

import java.util.Arrays;
import java.util.Random;

/** Labelled vectors with a known structure, to train on. */
record SyntheticData(float[][] features, int[] labels) {

  /** Rows {@code [from, to)}. */
  SyntheticData rows(int from, int to) {
    return new SyntheticData(
        Arrays.copyOfRange(features, from, to), Arrays.copyOfRange(labels, from, to));
  }

  /** {@code perClass} points around each of {@code classes} random centres in {@code dimensions} dimensions. */
  static SyntheticData blobs(long seed, int classes, int perClass, int dimensions, double spread) {
    Random random = new Random(seed);
    double[][] centres = new double[classes][dimensions];
    for (double[] centre : centres) {
      for (int i = 0; i < dimensions; i++) {
        centre[i] = random.nextGaussian() * 3;
      }
    }
    float[][] features = new float[classes * perClass][dimensions];
    int[] labels = new int[features.length];
    for (int n = 0; n < features.length; n++) {
      labels[n] = n % classes;
      for (int i = 0; i < dimensions; i++) {
        features[n][i] = (float) (centres[labels[n]][i] + random.nextGaussian() * spread);
      }
    }
    return new SyntheticData(features, labels);
  }

  /**
   * XOR of the signs of the first two coordinates (plus noise dimensions): no straight line separates the classes,
   * one hidden layer does.
   */
  static SyntheticData xor(long seed, int count, int noiseDimensions) {
    Random random = new Random(seed);
    float[][] features = new float[count][2 + noiseDimensions];
    int[] labels = new int[count];
    for (int n = 0; n < count; n++) {
      double x = random.nextDouble() * 2 - 1;
      double y = random.nextDouble() * 2 - 1;
      features[n][0] = (float) x;
      features[n][1] = (float) y;
      for (int i = 2; i < features[n].length; i++) {
        features[n][i] = (float) (random.nextGaussian() * 0.1);
      }
      labels[n] = (x > 0) == (y > 0) ? 0 : 1;
    }
    return new SyntheticData(features, labels);
  }
}
