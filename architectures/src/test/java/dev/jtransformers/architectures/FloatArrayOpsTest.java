package dev.jtransformers.architectures;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jtransformers.api.Tensor;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FloatArrayOpsTest {
  private final FloatArrayOps ops = new FloatArrayOps();
  private final Random random = new Random(8);

  private Tensor random(int... shape) {
    int size = 1;
    for (int dimension : shape) {
      size *= dimension;
    }
    float[] values = new float[size];
    for (int i = 0; i < size; i++) {
      values[i] = (float) random.nextGaussian();
    }
    return Tensor.wrap(values, shape);
  }

  @Test
  void geluIsTheExactErfGelu() {
    // Python: 0.5 * x * (1 + math.erf(x / math.sqrt(2)))
    float[] x = {-3, -1, -0.5f, 0, 0.5f, 1, 3};
    float[] expected = {
      -0.00404969409489031f, -0.15865525393145707f, -0.15426876936299344f, 0,
      0.34573123063700656f, 0.8413447460685429f, 2.99595030590511f
    };
    assertArrayEquals(expected, ops.gelu(Tensor.of(x, x.length)).toFloatArray(), 1e-7f);
    // Python: math.erf
    assertEquals(0.1124629160182849, FloatArrayOps.erf(0.1), 1e-7);
    assertEquals(0.9953222650189527, FloatArrayOps.erf(2), 1e-7);
    assertEquals(-0.8427007929497149, FloatArrayOps.erf(-1), 1e-7);
  }

  @Test
  void matmulMultipliesEachMatrixOfTheBatch() {
    Tensor a = random(2, 3, 4, 5);
    Tensor b = random(2, 3, 5, 6);
    Tensor product = ops.matmul(a, b);
    assertArrayEquals(new int[] {2, 3, 4, 6}, product.shape());
    for (int i = 0; i < 2; i++) {
      for (int j = 0; j < 3; j++) {
        for (int r = 0; r < 4; r++) {
          for (int c = 0; c < 6; c++) {
            double sum = 0;
            for (int k = 0; k < 5; k++) {
              sum += a.get(i, j, r, k) * b.get(i, j, k, c);
            }
            assertEquals(sum, product.get(i, j, r, c), 1e-5);
          }
        }
      }
    }
  }

  @Test
  void linearIsMatmulWithTheTransposedWeightPlusTheBias() {
    Tensor x = random(1, 3, 4);
    Tensor weight = random(5, 4);
    Tensor bias = random(5);
    Tensor y = ops.linear(x, weight, bias);
    Tensor product = ops.matmul(x, Tensor.wrap(ops.permute(weight, 1, 0).toFloatArray(), 1, 4, 5));
    for (int s = 0; s < 3; s++) {
      for (int o = 0; o < 5; o++) {
        assertEquals(product.get(0, s, o) + bias.get(o), y.get(0, s, o), 1e-5);
      }
    }
  }

  @Test
  void permuteAndSelectMoveTheRightValues() {
    Tensor x = random(2, 3, 4);
    Tensor permuted = ops.permute(x, 2, 0, 1);
    Tensor selected = ops.select(x, 1, 2);
    assertArrayEquals(new int[] {4, 2, 3}, permuted.shape());
    assertArrayEquals(new int[] {2, 4}, selected.shape());
    for (int i = 0; i < 2; i++) {
      for (int k = 0; k < 4; k++) {
        for (int j = 0; j < 3; j++) {
          assertEquals(x.get(i, j, k), permuted.get(k, i, j));
        }
        assertEquals(x.get(i, 2, k), selected.get(i, k));
      }
    }
    assertEquals(x, ops.mergeLastAxes(ops.splitLastAxis(x, 2)));
    assertArrayEquals(new int[] {2, 3, 2, 2}, ops.splitLastAxis(x, 2).shape());
  }

  @Test
  void maskedKeysGetNoAttention() {
    Tensor scores = random(2, 1, 3, 3);
    Tensor mask = FloatArrayOps.indices(new long[][] {{1, 1, 0}, {1, 0, 0}});
    Tensor weights = ops.softmax(ops.maskKeys(scores, mask));
    for (int query = 0; query < 3; query++) {
      assertEquals(0, weights.get(0, 0, query, 2));
      assertEquals(1, weights.get(0, 0, query, 0) + weights.get(0, 0, query, 1), 1e-6);
      assertEquals(1, weights.get(1, 0, query, 0), 1e-6);
    }
  }

  @Test
  void layerNormCentresAndScalesEachRow() {
    Tensor x = random(3, 8);
    Tensor normalised = ops.layerNorm(x, Tensor.of(filled(8, 2), 8), Tensor.of(filled(8, 1), 8), 1e-12);
    for (int r = 0; r < 3; r++) {
      double mean = 0;
      double square = 0;
      for (int i = 0; i < 8; i++) {
        double v = (normalised.get(r, i) - 1) / 2; // undo weight 2, bias 1
        mean += v / 8;
        square += v * v / 8;
      }
      assertEquals(0, mean, 1e-6);
      assertEquals(1, square, 1e-5);
    }
  }

  private static float[] filled(int length, float value) {
    float[] values = new float[length];
    Arrays.fill(values, value);
    return values;
  }

  @Test
  void gathersRowsAndNamesAnIndexOutsideTheTable() {
    Tensor table = random(4, 2);
    Tensor rows = ops.gather(table, FloatArrayOps.indices(new long[][] {{3, 0}}));
    assertArrayEquals(new int[] {1, 2, 2}, rows.shape());
    assertEquals(table.get(3, 1), rows.get(0, 0, 1));
    assertEquals(table.get(0, 0), rows.get(0, 1, 0));
    var e =
        assertThrows(
            IndexOutOfBoundsException.class, () -> ops.gather(table, FloatArrayOps.indices(new long[][] {{4}})));
    assertEquals("index 4 outside a table of 4 rows", e.getMessage());
    assertArrayEquals(
        new float[] {0, 1, 2, 0, 1, 2}, ops.positions(FloatArrayOps.indices(new long[2][3])).toFloatArray());
  }

  @Test
  void refusesIndicesThatFloatsCannotHoldExactly() {
    var e =
        assertThrows(IllegalArgumentException.class, () -> FloatArrayOps.indices(new long[][] {{1, (1 << 24) + 1}}));
    assertEquals("value 16777217 at [0, 1] is not exact in float32", e.getMessage());
  }
}
