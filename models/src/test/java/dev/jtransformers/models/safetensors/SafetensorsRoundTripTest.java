package dev.jtransformers.models.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jtransformers.api.ModelLoadException;
import dev.jtransformers.api.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsRoundTripTest {
  @TempDir Path dir;

  @Test
  void writesAndReadsBackTensorsOfEveryRankWithMetadata() {
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    tensors.put("scalar", Tensor.of(new float[] {3.5f}));
    tensors.put("vector", Tensor.of(new float[] {1, -2, Float.MIN_VALUE, Float.NaN}, 4));
    tensors.put("matrix", Tensor.of(new float[][] {{1, 2, 3}, {4, 5, 6}}));
    tensors.put("cube", Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 2, 2, 2));
    tensors.put("empty", Tensor.of(new float[0], 0, 4));
    Path file = dir.resolve("t.safetensors");

    SafetensorsWriter.write(file, tensors, Map.of("format", "pt", "note", "ünïcode"));

    try (SafetensorsFile read = SafetensorsFile.open(file)) {
      assertEquals(List.of("cube", "empty", "matrix", "scalar", "vector"), List.copyOf(read.names()));
      assertEquals(Map.of("format", "pt", "note", "ünïcode"), read.metadata());
      for (Map.Entry<String, Tensor> entry : tensors.entrySet()) {
        assertEquals(Dtype.F32, read.dtype(entry.getKey()));
        assertArrayEquals(entry.getValue().shape(), read.shape(entry.getKey()));
        assertEquals(entry.getValue(), read.getFloat(entry.getKey()), entry.getKey());
      }
    }
  }

  @Test
  void readsAndWritesTensorsLargerThanOneChunk() {
    float[] values = new float[700_000]; // 2.8 MB, several read and write chunks
    for (int i = 0; i < values.length; i++) {
      values[i] = i * 0.25f - 1000;
    }
    Path file = dir.resolve("big.safetensors");
    SafetensorsWriter.write(file, Map.of("big", Tensor.of(values, 700, 1000)), Map.of());
    try (SafetensorsFile read = SafetensorsFile.open(file)) {
      assertArrayEquals(values, read.getFloat("big").toFloatArray());
    }
  }

  @Test
  void laysOutTheHeaderLikePythonSafetensors() throws IOException {
    // "\uFF5E" sorts before an emoji by UTF-8 bytes (as Rust sorts) but after it by UTF-16 units (as Java does).
    String fullwidth = "\uFF5E";
    String emoji = "\uD83D\uDE00";
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    for (String name : List.of("b", emoji, fullwidth, "a.weight", "a")) {
      tensors.put(name, Tensor.of(new float[] {1, 2}, 2));
    }
    Path file = dir.resolve("layout.safetensors");
    SafetensorsWriter.write(file, tensors, Map.of("format", "pt"));

    byte[] bytes = Files.readAllBytes(file);
    long headerLength = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    assertEquals(0, headerLength % 8, "header padded to 8 bytes");
    String header = new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8);
    assertTrue(header.startsWith("{\"__metadata__\":{\"format\":\"pt\"},\"a\":{\"dtype\":\"F32\",\"shape\":[2],"
        + "\"data_offsets\":[0,8]},\"a.weight\":"), header);
    assertEquals(header.strip() + " ".repeat(header.length() - header.strip().length()), header);
    List<String> keys = new ArrayList<>();
    new ObjectMapper().readTree(header).fieldNames().forEachRemaining(keys::add);
    assertEquals(List.of("__metadata__", "a", "a.weight", "b", fullwidth, emoji), keys);
    assertTrue(header.contains("\"" + emoji + "\":"), "supplementary characters as raw UTF-8, not escaped");
    assertEquals(8 + headerLength + 5 * 8, bytes.length);
  }

  @Test
  void replacesAnExistingFileAndLeavesNoTemporaryFiles() throws IOException {
    Path file = dir.resolve("w.safetensors");
    SafetensorsWriter.write(file, Map.of("x", Tensor.of(new float[] {1}, 1)), Map.of());
    SafetensorsWriter.write(file, Map.of("y", Tensor.of(new float[] {2, 3}, 2)), Map.of());
    try (SafetensorsFile read = SafetensorsFile.open(file)) {
      assertEquals(List.of("y"), List.copyOf(read.names()));
    }
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(file), files.toList());
    }
  }

  @Test
  void refusesATensorNamedLikeTheMetadata() {
    Path file = dir.resolve("m.safetensors");
    Map<String, Tensor> tensors = Map.of("__metadata__", Tensor.of(new float[] {1}, 1));
    assertThrows(IllegalArgumentException.class, () -> SafetensorsWriter.write(file, tensors, Map.of()));
    assertTrue(Files.notExists(file));
  }

  @Test
  void reportsAMissingDirectoryAsAnIoFailureNamingTheFile() {
    Path file = dir.resolve("missing/dir/x.safetensors");
    var e =
        assertThrows(
            java.io.UncheckedIOException.class,
            () -> SafetensorsWriter.write(file, Map.of("x", Tensor.of(new float[] {1}, 1)), Map.of()));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
  }

  @Test
  void readsHalfBfloatDoubleAndIntegerTensorsAsFloat() throws IOException {
    ByteBuffer data = ByteBuffer.allocate(2 * 3 + 2 * 3 + 8 * 2 + 4 * 2 + 8 * 2 + 2).order(ByteOrder.LITTLE_ENDIAN);
    data.putShort((short) 0x3c00).putShort((short) 0xc000).putShort((short) 0x3555); // F16: 1, -2, 0.333...
    data.putShort((short) 0x3f80).putShort((short) 0xc040).putShort((short) 0x3eab); // BF16: 1, -3, 0.333...
    data.putDouble(0.1).putDouble(-1e300); // F64
    data.putInt(-7).putInt(1 << 30); // I32
    data.putLong(42).putLong(-(1L << 40)); // I64
    data.put((byte) 1).put((byte) 2); // U8
    String header =
        "{\"h\":{\"dtype\":\"F16\",\"shape\":[3],\"data_offsets\":[0,6]},"
            + "\"b\":{\"dtype\":\"BF16\",\"shape\":[3],\"data_offsets\":[6,12]},"
            + "\"d\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[12,28]},"
            + "\"i\":{\"dtype\":\"I32\",\"shape\":[2,1],\"data_offsets\":[28,36]},"
            + "\"l\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[36,52]},"
            + "\"u\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[52,54]}}";
    Path file = RawSafetensors.write(dir.resolve("mixed.safetensors"), header, data.array());

    try (SafetensorsFile read = SafetensorsFile.open(file)) {
      assertArrayEquals(new float[] {1, -2, 0.33325195f}, read.getFloat("h").toFloatArray());
      assertArrayEquals(new float[] {1, -3, 0.333984375f}, read.getFloat("b").toFloatArray());
      assertArrayEquals(new float[] {0.1f, Float.NEGATIVE_INFINITY}, read.getFloat("d").toFloatArray());
      assertEquals(Tensor.of(new float[] {-7, 1 << 30}, 2, 1), read.getFloat("i"));
      assertArrayEquals(new float[] {42, -(1L << 40)}, read.getFloat("l").toFloatArray());
      assertEquals(Dtype.U8, read.dtype("u"));
      var e = assertThrows(ModelLoadException.class, () -> read.getFloat("u"));
      assertTrue(e.getMessage().contains("'u'") && e.getMessage().contains("U8"), e.getMessage());
    }
  }

  @Test
  void convertsEveryKindOfHalfPrecisionValueExactly() {
    assertEquals(0f, Dtype.halfToFloat((short) 0x0000));
    assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(Dtype.halfToFloat((short) 0x8000)));
    assertEquals(0x1p-24f, Dtype.halfToFloat((short) 0x0001), "smallest subnormal");
    assertEquals(-0x3ffp-24f, Dtype.halfToFloat((short) 0x83ff), "largest negative subnormal");
    assertEquals(0x1p-14f, Dtype.halfToFloat((short) 0x0400), "smallest normal");
    assertEquals(65504f, Dtype.halfToFloat((short) 0x7bff), "largest normal");
    assertEquals(Float.POSITIVE_INFINITY, Dtype.halfToFloat((short) 0x7c00));
    assertEquals(Float.NEGATIVE_INFINITY, Dtype.halfToFloat((short) 0xfc00));
    assertTrue(Float.isNaN(Dtype.halfToFloat((short) 0x7e00)));
  }

  @Test
  void readingDataAfterCloseIsAnIllegalState() {
    Path file = dir.resolve("c.safetensors");
    SafetensorsWriter.write(file, Map.of("x", Tensor.of(new float[] {1}, 1)), Map.of());
    SafetensorsFile read = SafetensorsFile.open(file);
    read.close();
    read.close(); // idempotent
    assertArrayEquals(new int[] {1}, read.shape("x"), "the header stays available");
    assertThrows(IllegalStateException.class, () -> read.getFloat("x"));
  }
}
