package dev.jtransformers.pipelines;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtransformers.api.ModelLoadException;
import dev.jtransformers.api.TextInput;
import dev.jtransformers.pipelines.tasks.FeatureExtraction;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LabelledDataTest {
  @TempDir Path dir;

  @Test
  void readsGlueTsvWithItsTrailingSpaces() throws IOException {
    Path tsv = Files.writeString(dir.resolve("train.tsv"), "text\tlabel\nhide new secretions \t0\ngreat fun \t1\n");
    LabelledData data = LabelledData.load(tsv);
    assertEquals(List.of(TextInput.of("hide new secretions"), TextInput.of("great fun")), data.inputs());
    assertEquals(List.of("0", "1"), data.labelNames());
    assertArrayEquals(new int[] {0, 1}, data.labelIds(List.of("0", "1")));
  }

  @Test
  void readsJsonLinesWithPairsAndOrdersLabels() throws IOException {
    Path jsonl =
        Files.writeString(
            dir.resolve("nli.jsonl"),
            "{\"text\": \"a\", \"text_pair\": \"b\", \"label\": \"entail\"}\n{\"text\": \"c\", \"label\": \"contra\"}\n"
                + "{\"text\": \"d\", \"label\": 10}\n");
    LabelledData data = LabelledData.load(jsonl);
    assertEquals(TextInput.pair("a", "b"), data.inputs().get(0));
    assertEquals(List.of("10", "contra", "entail"), data.labelNames());
    LabelledData numeric =
        new LabelledData(List.of(TextInput.of("x"), TextInput.of("y"), TextInput.of("z")), List.of("10", "2", "1"));
    assertEquals(List.of("1", "2", "10"), numeric.labelNames(), "integers sort numerically");
  }

  @Test
  void badDataIsNamed() throws IOException {
    assertTrue(
        assertThrows(ModelLoadException.class, () -> LabelledData.load(dir.resolve("none.tsv")))
            .getMessage().contains("none.tsv"));
    Path noLabel = Files.writeString(dir.resolve("x.tsv"), "text\tscore\nhello\t1\n");
    assertTrue(assertThrows(ModelLoadException.class, () -> LabelledData.load(noLabel)).getMessage().contains("label"));
    Path ragged = Files.writeString(dir.resolve("y.tsv"), "text\tlabel\nhello\n");
    assertTrue(assertThrows(ModelLoadException.class, () -> LabelledData.load(ragged)).getMessage().contains("line 2"));
    LabelledData data = new LabelledData(List.of(TextInput.of("a")), List.of("odd"));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> data.labelIds(List.of("x", "y"))).getMessage().contains("odd"));
  }

  @Test
  void featureCacheStoresAndReusesVectors() {
    FeatureCache cache = new FeatureCache(dir.resolve("features"));
    var encoder = PipelineConfig.builder(FeatureExtraction.TASK).model("some/id").build();
    List<TextInput> inputs = List.of(TextInput.of("a"), TextInput.pair("b", "c"));
    float[][] vectors = {{1f, 2f}, {3f, -4.5f}};
    assertArrayEquals(vectors, cache.computeIfAbsent(encoder, inputs, () -> vectors));
    float[][] again =
        cache.computeIfAbsent(encoder, inputs, () -> {
          throw new AssertionError("computed twice");
        });
    assertArrayEquals(vectors, again);
    float[][] other = {{0f, 0f}, {0f, 0f}};
    assertArrayEquals(other, cache.computeIfAbsent(encoder, List.of(TextInput.of("a"), TextInput.of("b")), () -> other));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"truncated", "same-size corruption", "a crafted header"})
  void aDamagedFeatureFileIsComputedAgain(String damage) throws IOException {
    Path features = dir.resolve("features");
    FeatureCache cache = new FeatureCache(features);
    var encoder = PipelineConfig.builder(FeatureExtraction.TASK).model("some/id").build();
    List<TextInput> inputs = List.of(TextInput.of("a"), TextInput.of("b"));
    float[][] vectors = {{1f, 2f}, {3f, -4.5f}};
    cache.computeIfAbsent(encoder, inputs, () -> vectors);
    Path file;
    try (var files = Files.list(features)) {
      file = files.filter(f -> f.toString().endsWith(".f32")).findFirst().orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(file);
    switch (damage) {
      case "truncated" -> bytes = Arrays.copyOf(bytes, bytes.length - 6);
      case "same-size corruption" -> bytes[12] ^= 0x40;
      default -> ByteBuffer.wrap(bytes).putInt(0, 2).putInt(4, Integer.MAX_VALUE); // 2 rows of 2^31 floats
    }
    Files.write(file, bytes);
    float[][] recomputed = {{5f, 6f}, {7f, 8f}};
    assertArrayEquals(recomputed, cache.computeIfAbsent(encoder, inputs, () -> recomputed));
    assertArrayEquals(recomputed, cache.computeIfAbsent(encoder, inputs, () -> {
      throw new AssertionError("the rebuilt file is used again");
    }));
  }
}
