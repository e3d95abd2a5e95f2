package dev.jtransformers.models.safetensors;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jtransformers.api.ModelLoadException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every malformed file is refused with a {@link ModelLoadException} naming the file and the tensor. */
class SafetensorsValidationTest {
  private static final String ONE_TENSOR = "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";

  @TempDir Path dir;

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          not JSON             | {"w": {                                                                  | 8 | not valid JSON
          not an object        | [1, 2]                                                                   | 8 | must be a JSON object
          duplicate name       | {"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"w":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}} | 8 | Duplicate field 'w'
          entry not object     | {"w": 3}                                                                 | 8 | tensor 'w': header entry must be a JSON object
          unknown dtype        | {"w":{"dtype":"F33","shape":[2],"data_offsets":[0,8]}}                   | 8 | tensor 'w': unknown dtype 'F33'
          missing dtype        | {"w":{"shape":[2],"data_offsets":[0,8]}}                                 | 8 | tensor 'w': missing string field 'dtype'
          missing shape        | {"w":{"dtype":"F32","data_offsets":[0,8]}}                               | 8 | tensor 'w': missing array field 'shape'
          negative dimension   | {"w":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}                  | 8 | tensor 'w': 'shape' must hold non-negative integers
          fractional dimension | {"w":{"dtype":"F32","shape":[1.5],"data_offsets":[0,8]}}                 | 8 | tensor 'w': 'shape' must hold non-negative integers
          huge dimension       | {"w":{"dtype":"F32","shape":[4294967296],"data_offsets":[0,8]}}          | 8 | tensor 'w': dimension 4294967296
          shape overflow       | {"w":{"dtype":"F32","shape":[2147483647,2147483647,2147483647],"data_offsets":[0,8]}} | 8 | tensor 'w': shape [2147483647, 2147483647, 2147483647] is too large
          one offset           | {"w":{"dtype":"F32","shape":[2],"data_offsets":[8]}}                     | 8 | tensor 'w': data_offsets must be [begin, end]
          reversed offsets     | {"w":{"dtype":"F32","shape":[0],"data_offsets":[8,0]}}                   | 8 | tensor 'w': data_offsets must be [begin, end]
          shape mismatch       | {"w":{"dtype":"F32","shape":[2,3],"data_offsets":[0,8]}}                 | 8 | tensor 'w': shape [2, 3] of F32 needs 24 bytes, but data_offsets [0, 8] span 8
          offsets beyond data  | {"w":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}                  | 8 | tensor 'w': data_offsets [0, 16] reach beyond the data buffer, which has 8 bytes
          overlap              | {"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}} | 8 | tensor 'b': data overlaps tensor 'a'
          gap                  | {"w":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}                   | 8 | tensor 'w': data begins at 4 but the previous tensor ends at 0
          trailing bytes       | {"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}                   | 8 | tensors cover 4 bytes of a 8-byte data buffer
          metadata not strings | {"__metadata__":{"epoch":3}}                                             | 0 | __metadata__ value of 'epoch' must be a string
          """)
  void refusesMalformedHeaders(String problem, String header, int dataBytes, String expected) throws IOException {
    Path file = RawSafetensors.write(dir.resolve("bad.safetensors"), header, new byte[dataBytes]);
    assertRefused(file, expected);
  }

  @Test
  void refusesAFileTooShortForTheLengthPrefix() throws IOException {
    assertRefused(Files.write(dir.resolve("short.safetensors"), new byte[] {1, 2, 3}), "too short");
  }

  @Test
  void refusesAHeaderLengthBeyondTheFile() throws IOException {
    byte[] header = ONE_TENSOR.getBytes(StandardCharsets.UTF_8);
    Path file = RawSafetensors.write(dir.resolve("cut.safetensors"), header.length + 100, header, new byte[8]);
    assertRefused(file, "header length " + (header.length + 100) + " exceeds the");
  }

  @Test
  void refusesAnAbsurdHeaderLengthWithoutReadingIt() throws IOException {
    Path file = RawSafetensors.write(dir.resolve("huge.safetensors"), 1L << 40, new byte[16], new byte[0]);
    assertRefused(file, "exceeds the limit of 100000000 bytes");
    Path negative = RawSafetensors.write(dir.resolve("negative.safetensors"), -1L, new byte[16], new byte[0]);
    assertRefused(negative, "header length 18446744073709551615 exceeds the limit");
  }

  @Test
  void refusesATruncatedDataBuffer() throws IOException {
    Path file = RawSafetensors.write(dir.resolve("truncated.safetensors"), ONE_TENSOR, new byte[5]);
    assertRefused(file, "tensor 'w': data_offsets [0, 8] reach beyond the data buffer, which has 5 bytes");
  }

  @Test
  void refusesATensorLargerThanTheHeapBeforeAllocatingIt() throws IOException {
    // A consistent file of one tensor as large as one array can be: sparse on disk, far more than a test's heap.
    long elements = Integer.MAX_VALUE - 8;
    String header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[" + elements + "],\"data_offsets\":[0," + elements * 4 + "]}}";
    Path file = RawSafetensors.write(dir.resolve("sparse.safetensors"), header, new byte[0]);
    try (RandomAccessFile sparse = new RandomAccessFile(file.toFile(), "rw")) {
      sparse.setLength(sparse.length() + elements * 4);
    }
    assumeTrue(Runtime.getRuntime().maxMemory() < elements * 4, "a heap of 8 GiB or more holds the tensor");
    try (SafetensorsFile read = SafetensorsFile.open(file)) {
      var e = assertThrows(ModelLoadException.class, () -> read.getFloat("w"));
      assertMentions(e, file.toString());
      assertMentions(e, "tensor 'w' [" + elements + "] needs " + elements * 4 + " bytes as float32, more than the"
          + " JVM's whole heap");
    }
  }

  @Test
  void reportsAMissingFile() {
    assertRefused(dir.resolve("absent.safetensors"), "no such file");
  }

  @Test
  void reportsAMissingTensorByName() throws IOException {
    Path file = RawSafetensors.write(dir.resolve("ok.safetensors"), ONE_TENSOR, new byte[8]);
    try (SafetensorsFile read = SafetensorsFile.open(file)) {
      var e = assertThrows(ModelLoadException.class, () -> read.getFloat("classifier.weight"));
      assertMentions(e, file.toString());
      assertMentions(e, "no tensor 'classifier.weight'");
    }
  }

  private static void assertRefused(Path file, String expected) {
    var e = assertThrows(ModelLoadException.class, () -> SafetensorsFile.open(file).close());
    assertMentions(e, file.toString());
    assertMentions(e, expected);
  }

  private static void assertMentions(Exception e, String expected) {
    assertTrue(e.getMessage().contains(expected), () -> "expected '" + expected + "' in: " + e.getMessage());
  }
}
