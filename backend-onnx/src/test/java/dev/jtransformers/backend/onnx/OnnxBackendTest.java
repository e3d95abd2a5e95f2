package dev.jtransformers.backend.onnx;

import static dev.jtransformers.backend.onnx.TinyGraph.FLOAT;
import static dev.jtransformers.backend.onnx.TinyGraph.INT32;
import static dev.jtransformers.backend.onnx.TinyGraph.INT64;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.jtransformers.api.BackendException;
import dev.jtransformers.api.BatchEncoding;
import dev.jtransformers.api.Device;
import dev.jtransformers.api.Encoding;
import dev.jtransformers.api.InvalidInputException;
import dev.jtransformers.api.Model;
import dev.jtransformers.api.ModelLoadException;
import dev.jtransformers.api.ModelOutput;
import dev.jtransformers.models.Cache;
import dev.jtransformers.spi.Backend;
import dev.jtransformers.spi.BackendOptions;
import dev.jtransformers.spi.LoadRequest;
import dev.jtransformers.spi.ModelFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxBackendTest {
  private final OnnxBackend backend = new OnnxBackend();

  @TempDir Path directory;

  /** Echoes its inputs as float outputs of every rank the backend names. */
  private static TinyGraph echo() {
    return new TinyGraph()
        .input("input_ids", INT64, "batch", "sequence")
        .input("attention_mask", INT64, "batch", "sequence")
        .input("token_type_ids", INT64, "batch", "sequence")
        .castToFloat("input_ids", "ids")
        .unsqueeze("ids", "states", 2)
        .reduceSum("states", "pooled", 1)
        .castToFloat("attention_mask", "mask")
        .castToFloat("token_type_ids", "types")
        .output("states", FLOAT, "batch", "sequence", 1)
        .output("pooled", FLOAT, "batch", 1)
        .output("mask", FLOAT, "batch", "sequence")
        .output("types", FLOAT, "batch", "sequence");
  }

  private static Encoding encoding(int[] ids, int[] typeIds, int[] attention) {
    int n = ids.length;
    String[] tokens = new String[n];
    Arrays.fill(tokens, "");
    int[] words = new int[n];
    Arrays.fill(words, Encoding.NO_WORD);
    return Encoding.of(ids, typeIds, tokens, new int[2 * n], new int[n], attention, words, List.of());
  }

  /** Two inputs, the second padded: ids, token types and attention differ everywhere they can. */
  private static final BatchEncoding BATCH =
      BatchEncoding.of(
          List.of(
              encoding(new int[] {101, 7, 102}, new int[] {0, 0, 1}, new int[] {1, 1, 1}),
              encoding(new int[] {101, 102, 0}, new int[] {0, 0, 0}, new int[] {1, 1, 0})));

  /** Loading the ONNX graph of a directory as the pipelines do: into the project's cache. */
  private static LoadRequest.Builder request(Path modelDirectory) {
    return LoadRequest.builder(modelDirectory, ModelFormat.ONNX).cacheDirectory(Cache.atDefaultLocation().root());
  }

  private Model load(TinyGraph graph) throws IOException {
    return backend.load(request(graph.writeModelDirectory(directory)).build());
  }

  @Test
  void feedsInputsByNameAndNamesUnnamedOutputsAsABareEncoderWithoutAConfig() throws IOException {
    try (Model model = load(echo())) {
      assertEquals(
          List.of("last_hidden_state", "pooler_output", "mask", "types"), List.copyOf(model.outputNames()));

      ModelOutput output = model.forward(BATCH);

      assertEquals(model.outputNames(), output.names());
      assertArrayEquals(new int[] {2, 3, 1}, output.get("last_hidden_state").shape());
      assertArrayEquals(new float[] {101, 7, 102, 101, 102, 0}, output.get("last_hidden_state").toFloatArray());
      assertArrayEquals(new float[] {210, 203}, output.get("pooler_output").toFloatArray());
      assertArrayEquals(new float[] {1, 1, 1, 1, 1, 0}, output.get("mask").toFloatArray());
      assertArrayEquals(new float[] {0, 0, 1, 0, 0, 0}, output.get("types").toFloatArray());
    }
  }

  @Test
  void fetchesOnlyTheOutputsAskedFor() throws IOException {
    try (Model model = load(echo())) {
      ModelOutput all = model.forward(BATCH);

      ModelOutput some = model.forward(BATCH, Set.of("mask", "last_hidden_state"));

      assertEquals(List.of("last_hidden_state", "mask"), List.copyOf(some.names()), "in the model's order");
      assertEquals(all.get("last_hidden_state"), some.get("last_hidden_state"));
      assertEquals(all.get("mask"), some.get("mask"));
      assertEquals(all.names(), model.forward(BATCH, Set.of()).names(), "none named: all");
      assertEquals(all.names(), model.forward(BATCH, Set.of("logits")).names(), "none it has: all, for the caller"
          + " to report what it misses");
    }
  }

  @Test
  void reusedInputBuffersCarryNothingOverFromWiderOrEarlierBatches() throws IOException {
    BatchEncoding wide =
        BatchEncoding.of(List.of(encoding(new int[] {101, 9, 9, 9, 102}, new int[] {1, 1, 1, 1, 1},
            new int[] {1, 1, 1, 1, 1})));
    try (Model model = load(echo())) {
      ModelOutput first = model.forward(BATCH);
      model.forward(wide);

      ModelOutput again = model.forward(BATCH); // into the buffer the wide batch filled

      for (String name : first.names()) {
        assertEquals(first.get(name), again.get(name), name);
      }
    }
  }

  @Test
  void keepsTheOptimisedGraphInTheCacheAndLoadsItLater(@TempDir Path cache) throws IOException {
    Path model = echo().writeModelDirectory(directory);
    LoadRequest cached = LoadRequest.builder(model, ModelFormat.ONNX).cacheDirectory(cache).build();
    ModelOutput expected;
    try (Model first = backend.load(cached)) {
      expected = first.forward(BATCH);
    }
    List<Path> graphs;
    try (var files = Files.walk(cache.resolve("onnx-optimized"))) {
      graphs = files.filter(Files::isRegularFile).toList();
    }
    assertEquals(1, graphs.size(), graphs::toString);
    assertEquals("model.onnx", graphs.get(0).getFileName().toString(), "no staging file left behind");

    try (Model again = backend.load(cached)) {
      assertEquals(expected.get("last_hidden_state"), again.forward(BATCH).get("last_hidden_state"));
    }
    Files.write(graphs.get(0), new byte[] {1, 2, 3}); // a damaged entry is replaced, not fatal
    try (Model repaired = backend.load(cached)) {
      assertEquals(expected.get("mask"), repaired.forward(BATCH).get("mask"));
    }
    assertTrue(Files.size(graphs.get(0)) > 3, "rewritten");

    LoadRequest off = LoadRequest.builder(model, ModelFormat.ONNX).cacheDirectory(cache.resolve("off"))
        .options(BackendOptions.parse(backend, Map.of("onnx.cache_optimized_graph", "false"))).build();
    try (Model plain = backend.load(off)) {
      assertEquals(expected.get("types"), plain.forward(BATCH).get("types"));
    }
    assertTrue(Files.notExists(cache.resolve("off/onnx-optimized")));
  }

  @Test
  void namesUnnamedOutputsByTheTaskHeadTheConfigNames() throws IOException {
    // A token classifier's logits are rank 3, like hidden states: only the task head tells them apart.
    Path dir = echo().writeModelDirectory(directory);
    Map<String, Object> config = Map.of("model_type", "bert", "architectures", List.of("BertForTokenClassification"),
        "hidden_size", 1, "num_hidden_layers", 1, "num_attention_heads", 1, "intermediate_size", 1,
        "vocab_size", 200, "max_position_embeddings", 8);
    try (Model model = backend.load(request(dir).config(config).build())) {
      assertEquals(List.of("logits", "last_hidden_state", "mask", "types"), List.copyOf(model.outputNames()));
      assertArrayEquals(new int[] {2, 3, 1}, model.forward(BATCH).get("logits").shape());
    }
  }

  @Test
  void feedsOnlyTheInputsTheGraphTakesInTheirType() throws IOException {
    TinyGraph graph =
        new TinyGraph()
            .input("input_ids", INT32, "batch", "sequence")
            .castToFloat("input_ids", "ids")
            .output("ids", FLOAT, "batch", "sequence");

    try (Model model = load(graph)) {
      assertArrayEquals(
          new float[] {101, 7, 102, 101, 102, 0}, model.forward(BATCH).get("last_hidden_state").toFloatArray());
    }
  }

  @Test
  void inputItCannotFeedIsALoadErrorListingWhatItFeeds() throws IOException {
    TinyGraph graph = echo().input("pixel_values", INT64, "batch", "sequence");

    ModelLoadException e = assertThrows(ModelLoadException.class, () -> load(graph));

    assertTrue(e.getMessage().contains("'pixel_values'"), e.getMessage());
    assertTrue(e.getMessage().contains("input_ids, attention_mask, token_type_ids"), e.getMessage());
  }

  @Test
  void inputsMustBeIntegerMatrices() throws IOException {
    TinyGraph floatIds =
        new TinyGraph().input("input_ids", FLOAT, "batch", "sequence").output("input_ids", FLOAT, "batch", "sequence");
    ModelLoadException e = assertThrows(ModelLoadException.class, () -> load(floatIds));
    assertTrue(e.getMessage().contains("input 'input_ids' must be an int64 or int32"), e.getMessage());

    TinyGraph noIds =
        new TinyGraph()
            .input("attention_mask", INT64, "batch", "sequence")
            .castToFloat("attention_mask", "mask")
            .output("mask", FLOAT, "batch", "sequence");
    e = assertThrows(ModelLoadException.class, () -> load(noIds));
    assertTrue(e.getMessage().contains("takes no input_ids"), e.getMessage());
  }

  @Test
  void fixedShapeGraphRejectsOtherBatchShapesBeforeRunning() throws IOException {
    TinyGraph graph =
        new TinyGraph().input("input_ids", INT64, 1, 4).castToFloat("input_ids", "ids").output("ids", FLOAT, 1, 4);

    try (Model model = load(graph)) {
      InvalidInputException e = assertThrows(InvalidInputException.class, () -> model.forward(BATCH));
      assertTrue(e.getMessage().contains("[1, 4]") && e.getMessage().contains("[2, 3]"), e.getMessage());
    }
  }

  @Test
  void unreadableGraphIsALoadErrorNamingTheFile() throws IOException {
    Path file = directory.resolve("model.onnx");
    Files.writeString(file, "this is not an ONNX model");

    ModelLoadException e = assertThrows(ModelLoadException.class, () -> backend.load(request(directory).build()));

    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
  }

  @Test
  void malformedConfigurationIsALoadErrorNamingTheDirectory() throws IOException {
    echo().writeModelDirectory(directory);
    LoadRequest malformed = request(directory).config(Map.of("model_type", "bert")).build();

    ModelLoadException e = assertThrows(ModelLoadException.class, () -> backend.load(malformed));

    assertTrue(e.getMessage().contains(directory.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("config.json has none of [hidden_size, dim]"), e.getMessage());
  }

  @Test
  void readsOnlyOnnx() throws IOException {
    echo().writeModelDirectory(directory);
    LoadRequest safetensors = LoadRequest.builder(directory, ModelFormat.SAFETENSORS).build();

    BackendException e = assertThrows(BackendException.class, () -> backend.load(safetensors));

    assertTrue(e.getMessage().contains("reads [ONNX], not SAFETENSORS"), e.getMessage());
  }

  @Test
  void cudaNeedsTheGpuBuildOfOnnxRuntime() throws IOException {
    assumeFalse(NativeLibraries.hasCudaProvider(), "the GPU build of ONNX Runtime is on the classpath");
    echo().writeModelDirectory(directory);
    LoadRequest cuda = request(directory).device(Device.cuda(0)).build();

    BackendException e = assertThrows(BackendException.class, () -> backend.load(cuda));

    assertTrue(e.getMessage().contains("com.microsoft.onnxruntime:onnxruntime_gpu"), e.getMessage());
    assertEquals(Set.of(Device.Type.CPU), backend.supportedDevices());
    assertTrue(backend.deviceHint(Device.cuda(0)).orElseThrow().contains("onnxruntime_gpu in place of"));
    assertEquals(Optional.empty(), backend.deviceHint(Device.CPU));
  }

  @Test
  void everyOptimizationLevelAndThreadSettingGivesTheSameResults() throws IOException {
    echo().writeModelDirectory(directory);
    ModelOutput expected;
    try (Model model = backend.load(request(directory).build())) {
      expected = model.forward(BATCH);
    }
    for (String level : OnnxBackend.OPTIMIZATION_LEVEL.allowedValues()) {
      LoadRequest options =
          request(directory)
              .options(BackendOptions.parse(backend, Map.of("onnx.optimization_level", level,
                  "onnx.allow_spinning", level.equals("all") ? "true" : "false")))
              .intraOpThreads(1)
              .interOpThreads(2)
              .build();
      try (Model model = backend.load(options)) {
        ModelOutput output = model.forward(BATCH);
        for (String name : expected.names()) {
          assertEquals(expected.get(name), output.get(name), level + ": " + name);
        }
      }
    }
  }

  @Test
  void runsAsManyCallsAtOnceAsItHasThreadsUnlessTheyWouldSpinAgainstEachOther() throws IOException {
    echo().writeModelDirectory(directory);
    try (Model three = backend.load(request(directory).intraOpThreads(3).build());
        Model byDefault = backend.load(request(directory).build());
        Model spinning = backend.load(request(directory).intraOpThreads(3)
            .options(BackendOptions.parse(backend, Map.of("onnx.allow_spinning", "true"))).build())) {
      assertEquals(3, three.concurrentCalls());
      assertEquals(Runtime.getRuntime().availableProcessors(), byDefault.concurrentCalls(), "a thread per core");
      assertEquals(1, spinning.concurrentCalls());
    }
  }

  @Test
  void declaresItsOptionsAndRejectsUnknownValues() {
    assertEquals(List.of(OnnxBackend.OPTIMIZATION_LEVEL, OnnxBackend.ALLOW_SPINNING,
        OnnxBackend.CACHE_OPTIMIZED_GRAPH), backend.options());
    assertEquals(false, BackendOptions.DEFAULTS.get(OnnxBackend.ALLOW_SPINNING), "no spinning on shared cores");
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> BackendOptions.parse(backend, Map.of("onnx.allow_spinning", "yes"))).getMessage()
        .contains("true or false"));
    assertEquals(List.of("none", "basic", "extended", "all"), OnnxBackend.OPTIMIZATION_LEVEL.allowedValues());
    assertEquals(OnnxBackend.OptimizationLevel.ALL, BackendOptions.DEFAULTS.get(OnnxBackend.OPTIMIZATION_LEVEL));

    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> BackendOptions.parse(backend, Map.of("onnx.optimization_level", "max")));

    assertTrue(e.getMessage().contains("none, basic, extended, all"), e.getMessage());
  }

  @Test
  void loadsGraphsWhereHuggingFaceAndPlainExportsPutThem() throws IOException {
    Files.write(directory.resolve("model.onnx"), echo().bytes());
    try (Model plain = backend.load(request(directory).build())) {
      assertEquals(4, plain.outputNames().size());
    }

    Path hubLayout = echo().writeModelDirectory(directory.resolve("hub"));
    try (Model hub = backend.load(request(hubLayout).build())) {
      assertEquals(4, hub.outputNames().size());
    }
  }

  @Test
  void isFoundByServiceLoader() {
    List<Backend> backends = ServiceLoader.load(Backend.class).stream().map(ServiceLoader.Provider::get).toList();

    assertTrue(
        backends.stream().anyMatch(b -> b instanceof OnnxBackend && b.name().equals("onnx")), backends::toString);
    assertEquals(100, backend.priority());
    assertEquals(List.of(ModelFormat.ONNX), backend.modelFormats());
    assertEquals("dev.jtransformers:jtransformers-backend-onnx", backend.artifact());
  }

  @Test
  void keepsNativeLibrariesInTheCache() throws IOException {
    load(echo()).close(); // loading prepares the libraries, once per JVM

    Path libraries = Path.of(System.getProperty(NativeLibraries.PATH_PROPERTY));

    assertEquals(Cache.atDefaultLocation().root().resolve("native"), libraries.getParent());
    assertTrue(libraries.getFileName().toString().startsWith("onnxruntime-1.29.0-"), libraries.toString());
    assertTrue(Files.isRegularFile(libraries.resolve(System.mapLibraryName("onnxruntime"))), libraries.toString());
    assertTrue(Files.isRegularFile(libraries.resolve(System.mapLibraryName("onnxruntime4j_jni"))));
  }
}
