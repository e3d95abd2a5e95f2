package dev.jtransformers.backend.pytorch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.jtransformers.api.BackendException;
import dev.jtransformers.api.BatchEncoding;
import dev.jtransformers.api.Device;
import dev.jtransformers.api.Encoding;
import dev.jtransformers.api.Model;
import dev.jtransformers.api.ModelLoadException;
import dev.jtransformers.api.ModelOutput;
import dev.jtransformers.api.Tensor;
import dev.jtransformers.architectures.Network;
import dev.jtransformers.architectures.NetworkSpec;
import dev.jtransformers.architectures.Weights;
import dev.jtransformers.backend.onnx.OnnxBackend;
import dev.jtransformers.models.Cache;
import dev.jtransformers.models.ModelConfig;
import dev.jtransformers.models.safetensors.SafetensorsFile;
import dev.jtransformers.spi.LoadRequest;
import dev.jtransformers.spi.ModelFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the conformance kit does not cover: the task fixtures against ONNX Runtime in every format, eight threads on
 * one model, autograd through the built-in forward pass, CUDA without a CUDA build, and where libtorch lives.
 */
class PyTorchBackendTest {
  private static final double SAME_AS_ONNX = 1e-4;
  private static final Path CACHE = Cache.atDefaultLocation().root();

  /** Token ids of the small task vocabulary ([CLS] 2, [SEP] 3), two inputs of different lengths, padded with 0. */
  private static final List<int[]> TASK_INPUTS =
      List.of(new int[] {2, 17, 250, 1033, 64, 3, 90, 412, 3}, new int[] {2, 3999, 5, 3});

  static Stream<Arguments> taskFixtures() {
    return Stream.of(
            "tiny-random-bert-ner", "tiny-random-distilbert-ner", "tiny-random-bert-qa", "tiny-random-distilbert-qa",
            "tiny-random-bert-mlm", "tiny-random-distilbert-mlm", "tiny-random-bert-nli")
        .flatMap(
            name ->
                Stream.of(ModelFormat.TORCHSCRIPT, ModelFormat.SAFETENSORS, ModelFormat.ONNX)
                    .map(format -> Arguments.of(name, format)));
  }

  @ParameterizedTest
  @MethodSource("taskFixtures")
  void taskFixturesGiveOnnxRuntimesOutputs(String name, ModelFormat format) {
    Path directory = fixture(name);
    BatchEncoding batch = batch(TASK_INPUTS);
    try (Model onnx = new OnnxBackend().load(request(directory, ModelFormat.ONNX).build());
        Model pytorch = new PyTorchBackend().load(request(directory, format).build())) {
      ModelOutput expected = onnx.forward(batch);
      ModelOutput actual = pytorch.forward(batch);

      assertEquals(expected.names(), actual.names(), name + " " + format + ": output names");
      for (String output : expected.names()) {
        assertArrayEquals(expected.get(output).shape(), actual.get(output).shape(), output);
        double difference = maxAbsDiff(expected.get(output).toFloatArray(), actual.get(output).toFloatArray());
        assertTrue(difference <= SAME_AS_ONNX, () -> name + " " + format + " " + output + " differs by " + difference);
      }
    }
  }

  @Test
  void eightThreadsShareOneModel() throws Exception {
    Path directory = fixture("minilm-l6-sst2");
    List<BatchEncoding> batches =
        List.of(batch(List.of(new int[] {101, 1045, 5223, 2023, 102})), batch(TASK_INPUTS), batch(List.of(
            new int[] {101, 2023, 2607, 2003, 6429, 999, 102}, new int[] {101, 102})));
    try (Model model = new PyTorchBackend().load(request(directory, ModelFormat.SAFETENSORS).build())) {
      List<float[]> sequential = batches.stream().map(b -> model.forward(b).get("logits").toFloatArray()).toList();
      ExecutorService pool = Executors.newFixedThreadPool(8);
      CountDownLatch start = new CountDownLatch(1);
      try {
        List<Future<?>> runs = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
          int offset = t;
          runs.add(
              pool.submit(
                  () -> {
                    start.await();
                    for (int k = 0; k < 12; k++) {
                      int i = (k + offset) % batches.size();
                      float[] logits = model.forward(batches.get(i)).get("logits").toFloatArray();
                      assertTrue(maxAbsDiff(sequential.get(i), logits) <= 1e-5, "batch " + i + " on thread " + offset);
                    }
                    return null;
                  }));
        }
        start.countDown();
        for (Future<?> run : runs) {
          run.get();
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  /** A later issue fine-tunes the built-in networks: one gradient of the forward pass, against central differences. */
  @Test
  void builtInForwardPassIsDifferentiable() {
    Path directory = fixture("tiny-random-bert");
    NetworkSpec spec = NetworkSpec.of(ModelConfig.load(directory));
    String parameter = "bert.encoder.layer.0.intermediate.dense.weight";
    int element = 37;
    float step = 1e-2f;
    Engine engine = LibTorch.engine(Optional.of(CACHE), 0, 0);
    try (SafetensorsFile file = SafetensorsFile.open(directory.resolve("model.safetensors"));
        NDManager manager = engine.newBaseManager()) {
      Weights weights = Weights.of(file);
      NdArrayOps trainable = NdArrayOps.trainable(manager);
      Network<NDArray> network = Network.build(spec, trainable, weights);
      float gradient;
      try (GradientCollector collector = engine.newGradientCollector()) {
        NDArray loss = firstLogit(network, manager);
        collector.backward(loss);
        gradient = trainable.trainableParameters().get(parameter).getGradient().toFloatArray()[element];
      }
      NdArrayOps inference = NdArrayOps.forInference(manager);
      Weights plus = perturbed(weights, parameter, element, step);
      Weights minus = perturbed(weights, parameter, element, -step);
      float up = firstLogit(Network.build(spec, inference, plus), manager).getFloat();
      float down = firstLogit(Network.build(spec, inference, minus), manager).getFloat();
      double finiteDifference = (up - down) / (2.0 * step);

      assertTrue(Math.abs(gradient) > 1e-4, () -> "gradient " + gradient + " too small to tell anything");
      assertEquals(finiteDifference, gradient, 1e-2 * Math.abs(finiteDifference) + 1e-4, "d logit / d " + parameter);
    }
  }

  @Test
  void cudaWithoutACudaBuildIsAClearError() {
    PyTorchBackend backend = new PyTorchBackend();
    assumeTrue(!backend.supportedDevices().contains(Device.Type.CUDA), "a CUDA build of libtorch is on the classpath");
    LoadRequest request = request(fixture("tiny-random-bert"), ModelFormat.SAFETENSORS).device(Device.cuda(0)).build();

    BackendException e = assertThrows(BackendException.class, () -> backend.load(request));

    assertTrue(e.getMessage().contains("cuda:0") && e.getMessage().contains("pytorch-native-cu"), e::getMessage);
    assertTrue(backend.deviceHint(Device.cuda(0)).orElseThrow().contains("pytorch-native-cpu"));
    assertEquals(Optional.empty(), backend.deviceHint(Device.CPU));
  }

  @Test
  void libtorchRunsFromTheProjectCacheWithoutTelemetry() {
    LoadRequest request = request(fixture("tiny-random-bert"), ModelFormat.SAFETENSORS).build();
    try (Model model = new PyTorchBackend().load(request)) {
      assertTrue(model.outputNames().contains("logits"));
    }
    Path libraries = Path.of(System.getProperty(LibTorch.LIBRARY_PATH));

    assertTrue(libraries.startsWith(CACHE.resolve("native")), () -> "libtorch loaded from " + libraries);
    assertTrue(Files.isRegularFile(libraries.resolve(System.mapLibraryName("torch_cpu"))));
    assertTrue(Files.isRegularFile(libraries.resolve(System.mapLibraryName("djl_torch"))));
    String tracking =
        Optional.ofNullable(System.getenv(LibTorch.TRACKING)).orElse(System.getProperty(LibTorch.TRACKING));
    assertEquals("true", tracking);
  }

  @Test
  void aModelWithoutConfigIsALoadErrorNamingTheDirectory(@TempDir Path directory) throws Exception {
    Files.copy(fixture("tiny-random-bert").resolve("model.safetensors"), directory.resolve("model.safetensors"));
    Files.writeString(directory.resolve("config.json"), "{}");
    LoadRequest request = LoadRequest.builder(directory, ModelFormat.SAFETENSORS).cacheDirectory(CACHE).build();

    ModelLoadException e = assertThrows(ModelLoadException.class, () -> new PyTorchBackend().load(request));

    assertTrue(e.getMessage().contains(directory.toString()), e::getMessage);
  }

  private static NDArray firstLogit(Network<NDArray> network, NDManager manager) {
    long[][] ids = {{101, 7592, 2088, 999, 102}};
    NDArray input = manager.create(ids);
    NDArray mask = input.onesLike();
    Map<String, NDArray> inputs =
        Map.of(
            NetworkSpec.INPUT_IDS, input, NetworkSpec.ATTENTION_MASK, mask, NetworkSpec.TOKEN_TYPE_IDS,
            input.zerosLike());
    return network.forward(inputs).get("logits").get("0, 1");
  }

  /** {@code weights} with one element of one tensor moved by {@code step}. */
  private static Weights perturbed(Weights weights, String name, int element, float step) {
    return new Weights() {
      @Override
      public Path path() {
        return weights.path();
      }

      @Override
      public Set<String> names() {
        return weights.names();
      }

      @Override
      public int[] shape(String tensor) {
        return weights.shape(tensor);
      }

      @Override
      public String dtype(String tensor) {
        return weights.dtype(tensor);
      }

      @Override
      public boolean readableAsFloat(String tensor) {
        return weights.readableAsFloat(tensor);
      }

      @Override
      public Tensor read(String tensor) {
        Tensor value = weights.read(tensor);
        if (!tensor.equals(name)) {
          return value;
        }
        float[] values = value.toFloatArray();
        values[element] += step;
        return Tensor.wrap(values, value.shape());
      }
    };
  }

  private static LoadRequest.Builder request(Path directory, ModelFormat format) {
    return LoadRequest.builder(directory, format)
        .config(ModelConfig.load(directory).toMap())
        .cacheDirectory(CACHE);
  }

  private static Path fixture(String name) {
    String shared = System.getProperty("jtransformers.shared", "../shared");
    Path directory = Path.of(shared, "models", name);
    assumeTrue(Files.isDirectory(directory), () -> shared + " absent: skipping the test that needs " + name);
    return directory;
  }

  private static BatchEncoding batch(List<int[]> ids) {
    int length = ids.stream().mapToInt(a -> a.length).max().orElseThrow();
    List<Encoding> encodings = new ArrayList<>();
    for (int[] real : ids) {
      int[] padded = Arrays.copyOf(real, length);
      int[] mask = new int[length];
      Arrays.fill(mask, 0, real.length, 1);
      int[] words = new int[length];
      Arrays.fill(words, Encoding.NO_WORD);
      String[] tokens = new String[length];
      Arrays.fill(tokens, "");
      encodings.add(
          Encoding.of(padded, new int[length], tokens, new int[2 * length], new int[length], mask, words, List.of()));
    }
    return BatchEncoding.of(encodings);
  }

  private static double maxAbsDiff(float[] a, float[] b) {
    assertEquals(a.length, b.length, "number of values");
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs(a[i] - b[i]));
    }
    return max;
  }
}
