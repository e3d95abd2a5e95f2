package dev.jtransformers.backend.onnx;

import static dev.jtransformers.backend.onnx.TinyGraph.FLOAT;
import static dev.jtransformers.backend.onnx.TinyGraph.INT64;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtransformers.api.BatchEncoding;
import dev.jtransformers.api.Encoding;
import dev.jtransformers.api.Model;
import dev.jtransformers.api.ModelLoadException;
import dev.jtransformers.models.Cache;
import dev.jtransformers.spi.LoadRequest;
import dev.jtransformers.spi.ModelExporter;
import dev.jtransformers.spi.ModelFormat;
import dev.jtransformers.spi.ProviderRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Int8ExporterTest {
  private final ModelExporter exporter =
      ProviderRegistry.discover(ModelExporter.class, "model exporter", ModelExporter::name).get("onnx_int8");

  @TempDir Path directory;

  /** {@code column = Unsqueeze(Cast(input_ids))}: each id a float row of one channel. */
  private static TinyGraph idsAsColumn() {
    return new TinyGraph()
        .input("input_ids", INT64, "batch", "sequence")
        .input("attention_mask", INT64, "batch", "sequence")
        .castToFloat("input_ids", "ids")
        .unsqueeze("ids", "column", 2);
  }

  /** {@code states = column · W}: each id times a row of four weights of different sizes. */
  private static TinyGraph linear() {
    return idsAsColumn()
        .matMul("column", "states", "weight", 1, 4, 0.5f, -0.003f, 2.25f, 0f)
        .output("states", FLOAT, "batch", "sequence", 4);
  }

  private static LoadRequest request(Path modelDirectory) {
    return LoadRequest.builder(modelDirectory, ModelFormat.ONNX).cacheDirectory(Cache.atDefaultLocation().root())
        .build();
  }

  private static float[] states(Path modelDirectory) {
    try (Model model = new OnnxBackend().load(request(modelDirectory))) {
      return model.forward(TinyGraph.sequence(101, 7, 102, 0)).get("last_hidden_state").toFloatArray();
    }
  }

  @Test
  void quantisesMatMulWeightsIntoAGraphThatRunsAsTheFloatOneDoes() throws IOException {
    Path source = linear().writeModelDirectory(directory.resolve("fp32"));
    Files.writeString(source.resolve("tokenizer.json"), "{}");
    Files.writeString(source.resolve("model.safetensors"), "not copied");
    Files.writeString(source.resolve(".stamps"), "not copied");
    Path out = directory.resolve("int8");

    exporter.export(request(source), out);

    float[] expected = states(source);
    float[] quantized = states(out);
    float largest = 0;
    for (float value : expected) {
      largest = Math.max(largest, Math.abs(value));
    }
    assertEquals(expected.length, quantized.length);
    for (int i = 0; i < expected.length; i++) {
      // activations quantised to 256 steps of max/255: each product within a step of the float one
      assertEquals(expected[i], quantized[i], largest / 255, "element " + i);
    }
    String graph = new String(Files.readAllBytes(out.resolve("onnx/model.onnx")), StandardCharsets.ISO_8859_1);
    assertTrue(graph.contains("DynamicQuantizeMatMul") && graph.contains("com.microsoft"), "the int8 operator");
    assertTrue(Files.isRegularFile(out.resolve("tokenizer.json")), "companion files come along");
    assertFalse(Files.exists(out.resolve("model.safetensors")), "the float network in another format does not");
    assertFalse(Files.exists(out.resolve(".stamps")), "nor a cache's hidden bookkeeping");
  }

  /**
   * Two layers, the hidden activation's two channels a thousand times apart: {@code hidden = ids · [1, 0.001]}, then
   * {@code states = hidden · diag(0.001, 10)}, so that each output channel reads one hidden channel.
   */
  private static TinyGraph twoLayers() {
    return idsAsColumn()
        .matMul("column", "hidden", "first", 1, 2, 1f, 0.001f)
        .matMul("hidden", "states", "second", 2, 2, 0.001f, 0f, 0f, 10f)
        .output("states", FLOAT, "batch", "sequence", 2);
  }

  @Test
  void samplesSmoothTheActivationsSoThatANarrowChannelKeepsItsSteps() throws IOException {
    Path source = twoLayers().writeModelDirectory(directory.resolve("fp32"));
    Path plain = directory.resolve("plain");
    Path smoothed = directory.resolve("smoothed");

    exporter.export(request(source), plain);
    exporter.export(request(source), List.of(TinyGraph.sequence(101, 7, 102, 0)), smoothed);

    float[] expected = states(source); // per token: (0.101, 1.01), (0.007, 0.07), (0.102, 1.02), (0, 0)
    float[] unsmoothed = states(plain);
    float[] quantized = states(smoothed);
    for (int token = 0; token < 4; token++) {
      int narrow = 2 * token + 1;
      // one scale for hidden's 0..102: a step of 0.4 rounds every narrow value to 0
      assertEquals(0, unsmoothed[narrow], 1e-6, "token " + token + " without samples");
      // smoothed, each output within 1% of its channel's largest
      assertEquals(expected[narrow], quantized[narrow], 1.02 / 100, "token " + token + " smoothed");
      assertEquals(expected[narrow - 1], quantized[narrow - 1], 0.102 / 100, "token " + token + ", wide channel");
    }
    String graph = new String(Files.readAllBytes(smoothed.resolve("onnx/model.onnx")), StandardCharsets.ISO_8859_1);
    assertTrue(graph.contains("hidden_smoothed"), "a Mul divides the activation ahead of its MatMul");
  }

  @Test
  void aWeightTwoActivationsShareIsQuantisedForBothAndSmoothsNeither() throws IOException {
    // hidden = column · [1, 0.5]; mixed = hidden · S; states = mixed · S, S read by two MatMuls of two activations
    Path source = idsAsColumn()
        .matMul("column", "hidden", "first", 1, 2, 1f, 0.5f)
        .matMul("hidden", "mixed", "shared", 2, 2, 0.5f, 0.25f, 0.25f, 0.5f)
        .matMul("mixed", "states", "shared")
        .output("states", FLOAT, "batch", "sequence", 2)
        .writeModelDirectory(directory.resolve("fp32"));
    Path out = directory.resolve("int8");

    exporter.export(request(source), List.of(TinyGraph.sequence(101, 7, 102, 0)), out);

    float[] expected = states(source);
    float[] quantized = states(out);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], quantized[i], Math.abs(expected[i]) / 50 + 0.05, "element " + i);
    }
    String graph = new String(Files.readAllBytes(out.resolve("onnx/model.onnx")), StandardCharsets.ISO_8859_1);
    assertFalse(graph.contains("hidden_smoothed") || graph.contains("mixed_smoothed"), "neither reader smoothed");
    assertTrue(graph.contains("column_smoothed"), "the weight read by one activation only still is");
  }

  @Test
  void paddedPositionsReadTheirRowsLastTokenSoThatPaddingDoesNotWidenTheActivationRange() throws IOException {
    BatchEncoding padded = BatchEncoding.of(List.of(
        encoding(new int[] {101, 7, 102, 0, 0}, new int[] {1, 1, 1, 0, 0}),
        encoding(new int[] {0, 0, 101, 9, 102}, new int[] {0, 0, 1, 1, 1}),
        encoding(new int[] {0, 0, 0, 0, 0}, new int[5])));
    Path source = linear().opset(12).writeModelDirectory(directory.resolve("fp32"));
    Path old = linear().writeModelDirectory(directory.resolve("opset11"));
    exporter.export(request(source), directory.resolve("int8"));
    exporter.export(request(old), directory.resolve("int8-opset11"));

    float[] ids = firstColumn(directory.resolve("int8"), padded); // weight 0.5: half of each id fed
    float[] unfilled = firstColumn(directory.resolve("int8-opset11"), padded);

    float step = 102 * 0.5f / 127 + 102f / 255 * 0.5f; // the weight's and the activation's rounding
    float[] expected = {101, 7, 102, 102, 102, 102, 102, 101, 9, 102, 0, 0, 0, 0, 0};
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i] * 0.5f, ids[i], step, "position " + i);
    }
    assertEquals(0, unfilled[3], step, "opset 11 has no ArgMax(select_last_index): pad ids stay");
  }

  private static Encoding encoding(int[] ids, int[] mask) {
    String[] tokens = new String[ids.length];
    Arrays.fill(tokens, "");
    int[] words = new int[ids.length];
    Arrays.fill(words, Encoding.NO_WORD);
    return Encoding.of(ids, new int[ids.length], tokens, new int[2 * ids.length], new int[ids.length], mask, words,
        List.of());
  }

  /** The first output channel (0.5 × the id fed) at every position of the batch. */
  private static float[] firstColumn(Path modelDirectory, BatchEncoding batch) {
    try (Model model = new OnnxBackend().load(request(modelDirectory))) {
      float[] states = model.forward(batch).get("last_hidden_state").toFloatArray();
      float[] first = new float[states.length / 4];
      for (int i = 0; i < first.length; i++) {
        first[i] = states[4 * i];
      }
      return first;
    }
  }

  @Test
  void aGraphWithNothingToQuantiseIsRefusedNamingTheFile() throws IOException {
    Path source = linear().writeModelDirectory(directory.resolve("fp32"));
    Path once = directory.resolve("once");
    exporter.export(request(source), once);

    ModelLoadException e =
        assertThrows(ModelLoadException.class, () -> exporter.export(request(once), directory.resolve("twice")));

    assertTrue(e.getMessage().startsWith(once.resolve("onnx/model.onnx").toString()), e.getMessage());
    assertTrue(e.getMessage().contains("nothing to quantise"), e.getMessage());
  }

  @Test
  void aFileThatIsNotOnnxIsATypedErrorNamingIt() throws IOException {
    Path source = directory.resolve("broken");
    Files.createDirectories(source.resolve("onnx"));
    Files.write(source.resolve("onnx/model.onnx"), new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 1, 2});

    ModelLoadException e =
        assertThrows(ModelLoadException.class, () -> exporter.export(request(source), directory.resolve("out")));

    assertTrue(e.getMessage().contains("not a valid ONNX file"), e.getMessage());
    assertTrue(e.getMessage().contains(source.resolve("onnx/model.onnx").toString()), e.getMessage());
  }

  @Test
  void refusesAnOutputDirectoryThatIsNotEmpty() throws IOException {
    Path source = linear().writeModelDirectory(directory.resolve("fp32"));
    Path out = Files.createDirectories(directory.resolve("taken"));
    Files.writeString(out.resolve("something"), "x");

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> exporter.export(request(source), out));

    assertTrue(e.getMessage().contains(out + ": it is not empty"), e.getMessage());
    assertArrayEquals(new String[] {"something"}, out.toFile().list());
  }
}
