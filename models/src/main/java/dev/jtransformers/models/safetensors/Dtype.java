package dev.jtransformers.models.safetensors;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The element types a safetensors header may name, under their header spelling ({@code "F32"}, {@code "BF16"},
 * ...). Every type is understood well enough to validate a file; those that {@link #isReadableAsFloat() convert to
 * float} can be read with {@link SafetensorsFile#getFloat}.
 */
public enum Dtype {
  BOOL(1, false),
  U8(1, false),
  I8(1, false),
  F8_E5M2(1, false),
  F8_E4M3(1, false),
  I16(2, false),
  U16(2, false),
  F16(2, true),
  BF16(2, true),
  I32(4, true),
  U32(4, false),
  F32(4, true),
  F64(8, true),
  I64(8, true),
  U64(8, false);

  private final int byteSize;
  private final boolean readableAsFloat;

  Dtype(int byteSize, boolean readableAsFloat) {
    this.byteSize = byteSize;
    this.readableAsFloat = readableAsFloat;
  }

  /** Bytes per element. */
  public int byteSize() {
    return byteSize;
  }

  /** Whether {@link SafetensorsFile#getFloat} converts this type to float32. */
  public boolean isReadableAsFloat() {
    return readableAsFloat;
  }

  /** The type a header spells {@code name}, if it is one of these. */
  public static Optional<Dtype> fromHeaderName(String name) {
    return Arrays.stream(values()).filter(d -> d.name().equals(name)).findFirst();
  }

  /** The types {@link SafetensorsFile#getFloat} reads. */
  static List<Dtype> readableAsFloatTypes() {
    return Arrays.stream(values()).filter(Dtype::isReadableAsFloat).toList();
  }

  /**
   * Converts {@code count} little-endian elements from {@code source}'s position into {@code target}, starting
   * at {@code offset}.
   *
   * @throws IllegalStateException if this type is not {@linkplain #isReadableAsFloat() readable as float}
   */
  void decode(ByteBuffer source, float[] target, int offset, int count) {
    switch (this) {
      case F32 -> source.asFloatBuffer().get(target, offset, count);
      case F16 -> {
        for (int i = 0; i < count; i++) {
          target[offset + i] = halfToFloat(source.getShort());
        }
      }
      case BF16 -> {
        for (int i = 0; i < count; i++) {
          // bfloat16 is the upper half of a float32.
          target[offset + i] = Float.intBitsToFloat((source.getShort() & 0xffff) << 16);
        }
      }
      case F64 -> {
        for (int i = 0; i < count; i++) {
          target[offset + i] = (float) source.getDouble();
        }
      }
      case I32 -> {
        for (int i = 0; i < count; i++) {
          target[offset + i] = source.getInt();
        }
      }
      case I64 -> {
        for (int i = 0; i < count; i++) {
          target[offset + i] = source.getLong();
        }
      }
      default -> throw new IllegalStateException(this + " is not readable as float");
    }
  }

  /** Whether {@link SafetensorsWriter} can store float32 values as this type. */
  public boolean isWritableFromFloat() {
    return this == F32 || this == F16 || this == BF16;
  }

  /** The types {@link SafetensorsWriter} stores float32 values as, for messages. */
  public static List<Dtype> writableFromFloatTypes() {
    return Arrays.stream(values()).filter(Dtype::isWritableFromFloat).toList();
  }

  /**
   * Converts {@code count} floats of {@code source} from {@code offset} into {@code target} at its position,
   * little-endian, rounding to nearest, ties to even, as PyTorch's {@code .to(dtype)} rounds.
   *
   * @throws IllegalStateException if this type is not {@linkplain #isWritableFromFloat() writable from float}
   */
  void encode(float[] source, int offset, int count, ByteBuffer target) {
    switch (this) {
      case F32 -> {
        target.asFloatBuffer().put(source, offset, count);
        target.position(target.position() + count * Float.BYTES);
      }
      case F16 -> {
        for (int i = 0; i < count; i++) {
          target.putShort(floatToHalf(source[offset + i]));
        }
      }
      case BF16 -> {
        for (int i = 0; i < count; i++) {
          target.putShort(floatToBfloat16(source[offset + i]));
        }
      }
      default -> throw new IllegalStateException(this + " is not writable from float");
    }
  }

  /** Float32 to IEEE 754 binary16, rounded to nearest even; too large for a half becomes infinity. */
  static short floatToHalf(float value) {
    int bits = Float.floatToRawIntBits(value);
    int sign = (bits >>> 16) & 0x8000;
    int exponent = (bits >>> 23) & 0xff;
    int mantissa = bits & 0x7fffff;
    if (exponent == 0xff) { // infinity, or NaN kept quiet and non-zero
      return (short) (sign | 0x7c00 | (mantissa == 0 ? 0 : 0x200 | (mantissa >>> 13)));
    }
    int halfExponent = exponent - 127 + 15;
    if (halfExponent >= 0x1f) {
      return (short) (sign | 0x7c00);
    }
    if (halfExponent > 0) {
      // Rounding may carry into the exponent, and from the largest half to infinity: both encode correctly.
      return (short) (sign | roundedShift((halfExponent << 23) | mantissa, 13));
    }
    // A subnormal half counts units of 2^-24; a float subnormal (exponent 0) rounds to zero long before.
    int shift = 126 - exponent;
    return (short) (sign | (shift > 24 ? 0 : roundedShift(mantissa | 0x800000, shift)));
  }

  /** Float32 to bfloat16 (the upper half of a float32), rounded to nearest even. */
  static short floatToBfloat16(float value) {
    int bits = Float.floatToRawIntBits(value);
    if (Float.isNaN(value)) {
      return (short) ((bits >>> 16) | 0x40);
    }
    return (short) roundedShift(bits, 16);
  }

  /** {@code value >>> shift} rounded to nearest, ties to even ({@code 0 < shift < 32}). */
  private static int roundedShift(int value, int shift) {
    int kept = value >>> shift;
    int rest = value & ((1 << shift) - 1);
    int half = 1 << (shift - 1);
    return rest > half || (rest == half && (kept & 1) == 1) ? kept + 1 : kept;
  }

  /** IEEE 754 binary16 to float32, exact (every half value is representable as a float). */
  static float halfToFloat(short half) {
    int sign = (half & 0x8000) << 16;
    int exponent = (half >>> 10) & 0x1f;
    int mantissa = half & 0x3ff;
    if (exponent == 0x1f) { // infinity or NaN: keep the payload
      return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
    }
    if (exponent == 0) { // zero or subnormal: mantissa * 2^-24
      float magnitude = mantissa * 0x1p-24f;
      return sign == 0 ? magnitude : -magnitude;
    }
    return Float.intBitsToFloat(sign | ((exponent + 127 - 15) << 23) | (mantissa << 13));
  }
}
