package dev.jtransformers.api;

import java.util.Locale;
import java.util.Objects;

/**
 * Where a model runs: {@code cpu}, or {@code cuda:N} for GPU {@code N}.
 *
 * @param type the kind of device
 * @param index the device number, 0 for the CPU
 */
public record Device(Type type, int index) {
  /** The CPU. */
  public static final Device CPU = new Device(Type.CPU, 0);

  /** Kinds of device a backend may support. */
  public enum Type {
    CPU,
    CUDA
  }

  public Device {
    Objects.requireNonNull(type, "type");
    if (index < 0) {
      throw new IllegalArgumentException("device index must not be negative, got " + index);
    }
  }

  /** GPU number {@code index}. */
  public static Device cuda(int index) {
    return new Device(Type.CUDA, index);
  }

  /**
   * Parses {@code cpu}, {@code cuda} (GPU 0) or {@code cuda:N}.
   *
   * @throws IllegalArgumentException for any other text
   */
  public static Device parse(String text) {
    Objects.requireNonNull(text, "device");
    String s = text.trim().toLowerCase(Locale.ROOT);
    if (s.equals("cpu")) {
      return CPU;
    }
    if (s.equals("cuda")) {
      return cuda(0);
    }
    if (s.startsWith("cuda:")) {
      try {
        return cuda(Integer.parseInt(s.substring(5)));
      } catch (NumberFormatException e) {
        // fall through to the error below
      }
    }
    throw new IllegalArgumentException("unknown device '" + text + "': expected cpu, cuda or cuda:N");
  }

  @Override
  public String toString() {
    return type == Type.CPU ? "cpu" : "cuda:" + index;
  }
}
