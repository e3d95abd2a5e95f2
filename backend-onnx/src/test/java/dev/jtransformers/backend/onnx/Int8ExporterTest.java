package dev.jtransformers.backend.onnx;

import static dev.jtransformers.backend.onnx.TinyGraph.FLOAT;
import static dev.jtransformers.backend.onnx.TinyGraph.INT64;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Int8ExporterTest {
  private final ModelExporter exporter =
      ProviderRegistry.discover(ModelExporter.class, "model exporter", ModelExporter::name).get("onnx_int8");

  @TempDir Path directory;

  /** {@code states = Unsqueeze(Cast(input_ids)) · W}: each id times a row of four weights of different sizes. */
  private static TinyGraph linear() {
    return new TinyGraph()
        .input("input_ids", INT64, "batch", "sequence")
        .input("attention_mask", INT64, "batch", "sequence")
        .castToFloat("input_ids", "ids")
        .unsqueeze("ids", "column", 2)
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
