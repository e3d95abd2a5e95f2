package dev.jtransformers.models.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jtransformers.api.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reads the checkpoints Python {@code safetensors} wrote, and writes one back byte for byte. */
class SharedModelSafetensorsTest {
  @TempDir Path dir;

  private static Path sharedModel(String name) {
    String shared = System.getProperty("jtransformers.shared", "");
    Path file = Path.of(shared, "models", name, "model.safetensors");
    assumeTrue(!shared.isEmpty() && Files.isRegularFile(file), "../shared absent: skipping, no " + file);
    return file;
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "tiny-random-bert, 41, classifier.weight, 3, 32",
    "tiny-random-distilbert, 40, pre_classifier.weight, 32, 32",
    "minilm-l6-sst2, 105, bert.pooler.dense.weight, 384, 384",
  })
  void readsEveryTensorOfAHuggingFaceCheckpoint(String model, int tensors, String name, int rows, int columns) {
    try (SafetensorsFile file = SafetensorsFile.open(sharedModel(model))) {
      assertEquals(tensors, file.names().size());
      assertEquals(Map.of("format", "pt"), file.metadata());
      assertArrayEquals(new int[] {rows, columns}, file.shape(name));
      for (String tensor : file.names()) {
        Tensor values = file.getFloat(tensor);
        assertArrayEquals(file.shape(tensor), values.shape(), tensor);
        for (float v : values.toFloatArray()) {
          assertTrue(Float.isFinite(v), () -> tensor + " holds a non-finite value");
        }
      }
    }
  }

  @Test
  void rewritesAPythonWrittenCheckpointByteForByte() throws IOException {
    Path original = sharedModel("tiny-random-bert");
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    Map<String, String> metadata;
    try (SafetensorsFile file = SafetensorsFile.open(original)) {
      file.names().forEach(name -> tensors.put(name, file.getFloat(name)));
      metadata = file.metadata();
    }
    Path copy = dir.resolve("model.safetensors");
    SafetensorsWriter.write(copy, tensors, metadata);
    assertEquals(-1L, Files.mismatch(original, copy), "first differing byte");
  }
}
