package dev.jtransformers.heads.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtransformers.heads.Activation;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The analytic gradient against central finite differences, and the folding of standardisation. */
class NetworkTest {
  private static final int EXAMPLES = 6;
  private static final double STEP = 1e-6;

  private static double[][] randomInputs(Random random, int width) {
    double[][] inputs = new double[EXAMPLES][width];
    for (double[] row : inputs) {
      for (int i = 0; i < width; i++) {
        row[i] = random.nextGaussian();
      }
    }
    return inputs;
  }

  @ParameterizedTest(name = "{0} {1} dropout {2}")
  @CsvSource({
    "'5,3', identity, 0.0",
    "'5,4,3', relu, 0.0",
    "'5,4,3', tanh, 0.0",
    "'5,4,3', relu, 0.4",
    "'5,4,3', tanh, 0.4",
  })
  void analyticGradientMatchesFiniteDifferences(String widthList, String activation, double dropout) {
    int[] widths = Arrays.stream(widthList.split(",")).mapToInt(Integer::parseInt).toArray();
    Network network = new Network(widths, Activation.fromConfigName(activation), dropout);
    Random random = new Random(1);
    double[] parameters = network.initialParameters(random);
    double[][] inputs = randomInputs(random, widths[0]);
    int[] labels = {0, 1, 2, 2, 1, 0};
    double weightDecay = 0.05;
    // A fresh, equally seeded random per evaluation draws the same dropout masks each time.
    double[] analytic = new double[network.parameterCount()];
    network.lossAndGradient(parameters, inputs, labels, EXAMPLES, weightDecay, new Random(7), analytic);

    double[] scratch = new double[network.parameterCount()];
    for (int p = 0; p < parameters.length; p++) {
      double original = parameters[p];
      parameters[p] = original + STEP;
      double above = network.lossAndGradient(parameters, inputs, labels, EXAMPLES, weightDecay, new Random(7), scratch);
      parameters[p] = original - STEP;
      double below = network.lossAndGradient(parameters, inputs, labels, EXAMPLES, weightDecay, new Random(7), scratch);
      parameters[p] = original;
      double numeric = (above - below) / (2 * STEP);
      double tolerance = 1e-7 + 1e-6 * Math.abs(numeric);
      assertEquals(numeric, analytic[p], tolerance, "parameter " + p);
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"'6,3'", "'6,5,3'"})
  void foldingTheStandardisationKeepsTheLogits(String widthList) {
    int[] widths = Arrays.stream(widthList.split(",")).mapToInt(Integer::parseInt).toArray();
    Network network = new Network(widths, Activation.RELU, 0);
    Random random = new Random(3);
    double[] parameters = network.initialParameters(random);
    float[][] raw = new float[20][widths[0]];
    for (float[] row : raw) {
      for (int i = 0; i < row.length; i++) {
        row[i] = (float) (random.nextGaussian() * (i + 1) + 10 * i);
      }
      row[5] = 4; // a constant dimension keeps scale 1
    }
    int[] rows = new int[raw.length];
    Arrays.setAll(rows, i -> i);
    Standardizer standardizer = Standardizer.fit(raw, rows);

    double[] folded = parameters.clone();
    standardizer.foldIntoFirstLayer(network, folded);
    double[] standardized = new double[widths[0]];
    double[] rawDoubles = new double[widths[0]];
    for (float[] row : raw) {
      standardizer.apply(row, standardized);
      for (int i = 0; i < row.length; i++) {
        rawDoubles[i] = row[i];
      }
      double[] expected = network.logits(parameters, standardized);
      double[] actual = network.logits(folded, rawDoubles);
      for (int c = 0; c < expected.length; c++) {
        assertEquals(expected[c], actual[c], 1e-9);
      }
      assertTrue(Math.abs(standardized[0]) < 5, "standardised values are of order 1");
    }
  }
}
