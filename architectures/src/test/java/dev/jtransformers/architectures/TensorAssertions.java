package dev.jtransformers.architectures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Element-wise comparison with a tolerance that reports the largest difference and where it is. */
final class TensorAssertions {
  /** Logits and hidden states must match Python to this (absolute). */
  static final float TOLERANCE = 1e-4f;

  private TensorAssertions() {}

  /** Asserts {@code actual} has {@code expected}'s length and differs from it by at most {@link #TOLERANCE}. */
  static void assertClose(float[] expected, float[] actual, String what) {
    assertEquals(expected.length, actual.length, what + ": number of values");
    int worst = 0;
    for (int i = 1; i < expected.length; i++) {
      if (Math.abs(expected[i] - actual[i]) > Math.abs(expected[worst] - actual[worst])) {
        worst = i;
      }
    }
    int at = worst;
    double difference = expected.length == 0 ? 0 : Math.abs(expected[at] - actual[at]);
    assertTrue(
        difference <= TOLERANCE,
        () -> what + ": differs by " + difference + " at value " + at + " (expected " + expected[at] + ", got "
            + actual[at] + ")");
  }
}
