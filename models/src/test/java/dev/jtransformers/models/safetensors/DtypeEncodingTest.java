package dev.jtransformers.models.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtransformers.api.Tensor;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Float32 to float16 and bfloat16 as PyTorch rounds: to nearest, ties to even. */
class DtypeEncodingTest {
  @TempDir Path dir;

  @Test
  void everyFiniteHalfAndBfloat16SurvivesTheRoundTrip() {
    for (int bits = 0; bits < 0x10000; bits++) {
      short pattern = (short) bits;
      float half = Dtype.halfToFloat(pattern);
      if (!Float.isNaN(half)) {
        assertEquals(pattern, Dtype.floatToHalf(half), () -> "half " + Integer.toHexString(pattern & 0xffff));
      }
      float bfloat = Float.intBitsToFloat(bits << 16);
      if (!Float.isNaN(bfloat)) {
        assertEquals(pattern, Dtype.floatToBfloat16(bfloat), () -> "bfloat16 " + Integer.toHexString(pattern & 0xffff));
      }
    }
  }

  @Test
  void valuesBetweenTwoHalvesRoundToTheNearestAndTiesToTheEvenOne() {
    // Every pair of finite neighbours, subnormals included (above the largest half, see the saturation test).
    for (int bits = 0; bits < 0x7bff; bits++) {
      float low = Dtype.halfToFloat((short) bits);
      float high = Dtype.halfToFloat((short) (bits + 1));
      float middle = (low + high) / 2; // exact: a half has 11 significant bits, a float 24
      short even = (short) ((bits & 1) == 0 ? bits : bits + 1);
      assertEquals(even, Dtype.floatToHalf(middle), "tie above " + Integer.toHexString(bits));
      assertEquals((short) bits, Dtype.floatToHalf(Math.nextDown(middle)));
      assertEquals((short) (bits + 1), Dtype.floatToHalf(Math.nextUp(middle)));
      assertEquals((short) (bits | 0x8000), Dtype.floatToHalf(-Math.nextDown(middle)), "sign kept");
    }
  }

  @Test
  void halvesSaturateToInfinityAndFlushTinyValuesToZero() {
    assertEquals((short) 0x7bff, Dtype.floatToHalf(65504f));
    assertEquals((short) 0x7c00, Dtype.floatToHalf(65520f)); // the tie above 65504 rounds to even: infinity
    assertEquals((short) 0x7c00, Dtype.floatToHalf(Float.MAX_VALUE));
    assertEquals((short) 0xfc00, Dtype.floatToHalf(Float.NEGATIVE_INFINITY));
    assertEquals((short) 0x0000, Dtype.floatToHalf(0x1p-25f)); // half of the smallest subnormal: tie to zero
    assertEquals((short) 0x0001, Dtype.floatToHalf(Math.nextUp(0x1p-25f)));
    assertEquals((short) 0x0000, Dtype.floatToHalf(Float.MIN_VALUE));
    assertEquals((short) 0x8000, Dtype.floatToHalf(-0f));
    assertTrue(Float.isNaN(Dtype.halfToFloat(Dtype.floatToHalf(Float.NaN))));
    assertTrue(Float.isNaN(Float.intBitsToFloat(Dtype.floatToBfloat16(Float.NaN) << 16)));
    assertEquals((short) 0x3f80, Dtype.floatToBfloat16(Float.intBitsToFloat(0x3f808000))); // tie to even
    assertEquals((short) 0x3f82, Dtype.floatToBfloat16(Float.intBitsToFloat(0x3f818000))); // tie to even, up
  }

  @Test
  void writesTensorsInTheNarrowTypesAndReadsThemBackRounded() {
    float[] values = {1f, 0.1f, -3.14159f, 1e-6f, 70000f};
    for (Dtype dtype : new Dtype[] {Dtype.F16, Dtype.BF16}) {
      Path file = dir.resolve(dtype + ".safetensors");
      SafetensorsWriter.write(file, Map.of("w", Tensor.of(values, 5)), Map.of("format", "pt"), dtype);
      try (SafetensorsFile read = SafetensorsFile.open(file)) {
        assertEquals(dtype, read.dtype("w"));
        float[] expected = new float[values.length];
        for (int i = 0; i < values.length; i++) {
          expected[i] = dtype == Dtype.F16
              ? Dtype.halfToFloat(Dtype.floatToHalf(values[i]))
              : Float.intBitsToFloat(Dtype.floatToBfloat16(values[i]) << 16);
        }
        assertArrayEquals(expected, read.getFloat("w").toFloatArray());
      }
    }
  }

  @Test
  void refusesATypeFloatsCanNotBeStoredAs() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SafetensorsWriter.write(dir.resolve("x.safetensors"), Map.of(), Map.of(), Dtype.I64));
    assertTrue(e.getMessage().contains("I64"), e.getMessage());
  }
}
