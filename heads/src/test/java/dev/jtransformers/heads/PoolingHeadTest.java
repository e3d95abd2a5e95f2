package dev.jtransformers.heads;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtransformers.api.BatchEncoding;
import dev.jtransformers.api.ModelOutput;
import dev.jtransformers.api.Tensor;
import dev.jtransformers.models.Pooling;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PoolingHeadTest {
  // Two inputs of three tokens, hidden size 2; the first has one padding token, the second two.
  private static final Tensor STATES =
      Tensor.of(new float[] {1, -4, 3, 2, 100, 100, 5, 6, -7, 8, 9, 10}, 2, 3, 2);
  private static final BatchEncoding BATCH = TestBatches.withMasks(new int[][] {{1, 1, 0}, {1, 0, 0}});
  private static final ModelOutput OUTPUT = ModelOutput.of(Map.of(ModelOutput.LAST_HIDDEN_STATE, STATES));

  private static float[][] pool(Pooling pooling, boolean normalize, ModelOutput output, BatchEncoding batch) {
    Tensor pooled = new PoolingHead(pooling, normalize).apply(output, batch);
    assertArrayEquals(new int[] {batch.size(), STATES.dim(2)}, pooled.shape());
    return pooled.toFloatArray2D();
  }

  @Test
  void meanAveragesTheAttendedTokensOnly() {
    float[][] pooled = pool(Pooling.MEAN, false, OUTPUT, BATCH);
    assertArrayEquals(new float[] {2, -1}, pooled[0]);
    assertArrayEquals(new float[] {5, 6}, pooled[1]);
  }

  @Test
  void clsTakesTheFirstToken() {
    float[][] pooled = pool(Pooling.CLS, false, OUTPUT, BATCH);
    assertArrayEquals(new float[] {1, -4}, pooled[0]);
    assertArrayEquals(new float[] {5, 6}, pooled[1]);
  }

  @Test
  void maxIgnoresPaddingEvenWhenPaddingHoldsTheLargestValues() {
    float[][] pooled = pool(Pooling.MAX, false, OUTPUT, BATCH);
    assertArrayEquals(new float[] {3, 2}, pooled[0]);
    assertArrayEquals(new float[] {5, 6}, pooled[1]);
  }

  @Test
  void anInputWithoutAttendedTokensPoolsLikeSentenceTransformers() {
    BatchEncoding unattended = TestBatches.withMasks(new int[][] {{1, 1, 1}, {0, 0, 0}});
    assertArrayEquals(new float[] {0, 0}, pool(Pooling.MEAN, false, OUTPUT, unattended)[1], "sum 0 / clamp 1e-9");
    assertArrayEquals(new float[] {-1e9f, -1e9f}, pool(Pooling.MAX, false, OUTPUT, unattended)[1], "masked = -1e9");
    assertArrayEquals(new float[] {0, 0}, pool(Pooling.MEAN, true, OUTPUT, unattended)[1], "zero stays zero");
  }

  @Test
  void normalizeScalesToUnitLength() {
    float[][] pooled = pool(Pooling.MEAN, true, OUTPUT, BATCH);
    float norm = (float) Math.sqrt(5);
    assertArrayEquals(new float[] {2 / norm, -1 / norm}, pooled[0], 1e-7f);
    assertArrayEquals(new float[] {5 / (float) Math.sqrt(61), 6 / (float) Math.sqrt(61)}, pooled[1], 1e-7f);
  }

  @Test
  void refusesHiddenStatesThatDoNotMatchTheBatch() {
    BatchEncoding longer = TestBatches.withMasks(new int[][] {{1, 1, 1, 1}, {1, 0, 0, 0}});
    var e = assertThrows(IllegalArgumentException.class, () -> new PoolingHead(Pooling.MEAN, false).apply(OUTPUT, longer));
    assertTrue(e.getMessage().contains("[2, 3, 2]") && e.getMessage().contains("sequence 4"), e.getMessage());
    ModelOutput logitsOnly = ModelOutput.of(Map.of(ModelOutput.LOGITS, Tensor.of(new float[] {1, 2}, 2, 1)));
    var missing = assertThrows(IllegalArgumentException.class, () -> new PoolingHead(Pooling.CLS, false).apply(logitsOnly, BATCH));
    assertTrue(missing.getMessage().contains(ModelOutput.LAST_HIDDEN_STATE), missing.getMessage());
  }

  @Test
  void configNamesRoundTripAndUnknownNamesListTheValidOnes() {
    for (Pooling pooling : Pooling.values()) {
      assertEquals(pooling, Pooling.fromConfigName(pooling.configName()));
    }
    var e = assertThrows(IllegalArgumentException.class, () -> Pooling.fromConfigName("MEAN"));
    assertEquals("pooling must be one of [cls, max, mean, mean_sqrt_len, weighted_mean, last_token], got 'MEAN'",
        e.getMessage());
  }

  @Test
  void modesThisHeadDoesNotComputeAreRefusedUpFront() {
    var e = assertThrows(IllegalArgumentException.class, () -> new PoolingHead(Pooling.WEIGHTED_MEAN, false));
    assertEquals("pooling weighted_mean is not supported; use one of [cls, max, mean]", e.getMessage());
  }
}
