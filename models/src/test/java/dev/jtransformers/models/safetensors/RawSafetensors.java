package dev.jtransformers.models.safetensors;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Hand-made safetensors files, well-formed or not, for tests of the reader. */
final class RawSafetensors {
  private RawSafetensors() {}

  /** A file with this header (its true length as prefix) followed by {@code data}. */
  static Path write(Path file, String header, byte[] data) throws IOException {
    byte[] json = header.getBytes(StandardCharsets.UTF_8);
    return write(file, json.length, json, data);
  }

  /** A file whose length prefix says {@code declaredHeaderLength}, whatever follows. */
  static Path write(Path file, long declaredHeaderLength, byte[] header, byte[] data) throws IOException {
    ByteBuffer bytes = ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
    bytes.putLong(declaredHeaderLength).put(header).put(data);
    return Files.write(file, bytes.array());
  }
}
