package dev.jtransformers.backend.onnx;

import static dev.jtransformers.backend.onnx.TinyGraph.FLOAT;
import static dev.jtransformers.backend.onnx.TinyGraph.INT64;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtransformers.api.Model;
import dev.jtransformers.spi.BackendOptions;
import dev.jtransformers.spi.LoadRequest;
import dev.jtransformers.spi.ModelFormat;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SkipLayerNormFusionTest {
  private final OnnxBackend backend = new OnnxBackend();

  @TempDir Path directory;

  /**
   * A post-norm residual block: {@code h = ids · W1}, {@code y = LayerNorm(h + (h · W2 + b))} over 3 hidden units;
   * with {@code extraReader}, the block's sum is also a graph output.
   */
  private static TinyGraph block(boolean extraReader) {
    TinyGraph graph = new TinyGraph()
        .input("input_ids", INT64, "batch", "sequence")
        .input("attention_mask", INT64, "batch", "sequence")
        .castToFloat("input_ids", "ids")
        .unsqueeze("ids", "column", 2)
        .matMul("column", "h", "w1", 1, 3, 0.01f, -0.02f, 0.005f)
        .matMul("h", "dense", "w2", 3, 3, 0.5f, -1f, 0.25f, 2f, 0.1f, -0.3f, 0f, 1.5f, -0.7f)
        .vector("b", 0.3f, -0.1f, 0.05f)
        .vector("gamma", 1.5f, 0.5f, -1f)
        .vector("beta", 0.1f, 0f, -0.2f)
        .add("dense", "b", "biased")
        .add("h", "biased", "sum") // the residual on the left: either side is found
        .layerNorm("sum", "gamma", "beta", "last_hidden_state", 1e-6f)
        .output("last_hidden_state", FLOAT, "batch", "sequence", 3);
    return extraReader ? graph.output("sum", FLOAT, "batch", "sequence", 3) : graph;
  }

  private static float[] run(Model model) {
    return model.forward(TinyGraph.sequence(101, 7, 2054, 102)).get("last_hidden_state").toFloatArray();
  }

  private LoadRequest request(Path model, Path cache, boolean cacheGraph) {
    return LoadRequest.builder(model, ModelFormat.ONNX).cacheDirectory(cache)
        .options(BackendOptions.parse(backend, Map.of("onnx.cache_optimized_graph", Boolean.toString(cacheGraph))))
        .build();
  }

  private static String text(Path file) throws IOException {
    return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
  }

  @Test
  void fusesTheResidualBlockIntoOneOperatorThatComputesWhatTheThreeDid() throws IOException {
    byte[] plain = block(false).bytes();

    SkipLayerNormFusion.Result result = SkipLayerNormFusion.fuse(plain, "block");

    assertEquals(1, result.fused());
    String graph = new String(result.model(), StandardCharsets.ISO_8859_1);
    assertTrue(graph.contains("SkipLayerNormalization") && graph.contains("com.microsoft"), "the fused operator");
    assertTrue(!graph.contains("\"biased") && !graph.contains("LayerNormalization\u0012"), "the Adds are gone");
    Path unfused = block(false).writeModelDirectory(directory.resolve("plain"));
    Path fused = directory.resolve("fused");
    Files.createDirectories(fused.resolve("onnx"));
    Files.write(fused.resolve("onnx/model.onnx"), result.model());
    try (Model expected = backend.load(request(unfused, directory.resolve("cache"), false));
        Model actual = backend.load(request(fused, directory.resolve("cache"), false))) {
      float[] want = run(expected);
      float[] got = run(actual);
      assertEquals(12, want.length);
      for (int i = 0; i < want.length; i++) {
        assertEquals(want[i], got[i], 1e-5f, "element " + i);
      }
    }
  }

  @Test
  void theBackendKeepsTheFusedGraphInItsCache() throws IOException {
    Path model = block(false).writeModelDirectory(directory.resolve("model"));
    Path cache = directory.resolve("cache");
    float[] expected;
    try (Model uncached = backend.load(request(model, cache.resolve("off"), false))) {
      expected = run(uncached);
    }

    float[] first;
    float[] again;
    try (Model loaded = backend.load(request(model, cache, true))) {
      first = run(loaded);
    }
    try (Model reloaded = backend.load(request(model, cache, true))) {
      again = run(reloaded);
    }

    List<Path> graphs;
    try (var files = Files.walk(cache.resolve("onnx-optimized"))) {
      graphs = files.filter(Files::isRegularFile).toList();
    }
    assertEquals(1, graphs.size(), graphs::toString);
    assertTrue(text(graphs.get(0)).contains("SkipLayerNormalization"), "the cached graph is the fused one");
    assertArrayEquals(first, again, "the first load runs the graph later loads read");
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], first[i], 1e-5f, "element " + i);
    }
  }

  @Test
  void theFusedGraphKeepsEveryInitializerByNameForAnAdapterToReplace() throws IOException {
    byte[] plain = block(false).bytes();

    byte[] fused = SkipLayerNormFusion.fuse(plain, "block").model();

    Set<String> names = GraphProtos.initializerNames(new ByteArrayInputStream(plain));
    assertEquals(Set.of("w1", "w2", "b", "gamma", "beta"), names);
    assertEquals(names, GraphProtos.initializerNames(new ByteArrayInputStream(fused)));
  }

  @Test
  void leavesABlockWhoseSumIsReadElsewhereAsItIs() throws IOException {
    byte[] plain = block(true).bytes();

    SkipLayerNormFusion.Result result = SkipLayerNormFusion.fuse(plain, "block");

    assertEquals(0, result.fused());
    assertArrayEquals(plain, result.model());
  }

  @Test
  void leavesANormalisationWithoutALinearLayerBeforeItAsItIs() throws IOException {
    byte[] plain = new TinyGraph()
        .input("input_ids", INT64, "batch", "sequence")
        .castToFloat("input_ids", "ids")
        .unsqueeze("ids", "column", 2)
        .matMul("column", "h", "w1", 1, 3, 0.01f, -0.02f, 0.005f)
        .vector("gamma", 1f, 1f, 1f)
        .vector("beta", 0f, 0f, 0f)
        .add("h", "h", "sum") // neither side adds a bias vector to a computed value
        .layerNorm("sum", "gamma", "beta", "last_hidden_state", 1e-5f)
        .output("last_hidden_state", FLOAT, "batch", "sequence", 3)
        .bytes();

    assertEquals(0, SkipLayerNormFusion.fuse(plain, "norm").fused());
  }
}
