package dev.jtransformers.heads.training;

/** The Adam optimiser (Kingma and Ba, 2015) with bias correction, over one flat parameter array. */
final class Adam {
  private static final double BETA1 = 0.9;
  private static final double BETA2 = 0.999;
  private static final double EPSILON = 1e-8;

  private final double learningRate;
  private final double[] firstMoment;
  private final double[] secondMoment;
  private int steps;

  Adam(int parameterCount, double learningRate) {
    this.learningRate = learningRate;
    this.firstMoment = new double[parameterCount];
    this.secondMoment = new double[parameterCount];
  }

  /** Moves {@code parameters} one step against {@code gradient}. */
  void step(double[] parameters, double[] gradient) {
    steps++;
    double firstCorrection = 1 - StrictMath.pow(BETA1, steps);
    double secondCorrection = 1 - StrictMath.pow(BETA2, steps);
    for (int i = 0; i < parameters.length; i++) {
      double g = gradient[i];
      firstMoment[i] = BETA1 * firstMoment[i] + (1 - BETA1) * g;
      secondMoment[i] = BETA2 * secondMoment[i] + (1 - BETA2) * g * g;
      double m = firstMoment[i] / firstCorrection;
      double v = secondMoment[i] / secondCorrection;
      parameters[i] -= learningRate * m / (Math.sqrt(v) + EPSILON);
    }
  }
}
