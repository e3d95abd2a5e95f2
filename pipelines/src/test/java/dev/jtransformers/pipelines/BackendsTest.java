package dev.jtransformers.pipelines;

import static dev.jtransformers.pipelines.FakeBackend.cpu;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtransformers.api.BackendException;
import dev.jtransformers.api.Device;
import dev.jtransformers.backend.onnx.OnnxBackend;
import dev.jtransformers.heads.HeadRegistry;
import dev.jtransformers.models.Cache;
import dev.jtransformers.models.ModelConfig;
import dev.jtransformers.models.ModelResolver;
import dev.jtransformers.spi.Backend;
import dev.jtransformers.spi.LoadRequest;
import dev.jtransformers.spi.ModelFormat;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rule that picks a backend and its format, on fake backends over model directories of empty files. */
class BackendsTest {
  private static final Optional<String> ANY_BACKEND = Optional.empty();
  private static final Optional<ModelFormat> ANY_FORMAT = Optional.empty();

  @TempDir Path directory;

  /** A checkpoint as Hugging Face lays it out: ONNX graph, TorchScript and safetensors weights with their config. */
  private Path checkpoint;

  @BeforeEach
  void writeCheckpoint() throws IOException {
    checkpoint = directory.resolve("checkpoint");
    write(checkpoint, "onnx/model.onnx", "model.pt", "model.safetensors");
    Files.writeString(
        checkpoint.resolve("config.json"),
        """
        {"model_type": "bert", "hidden_size": 8, "num_hidden_layers": 1, "num_attention_heads": 2,
         "intermediate_size": 16, "vocab_size": 100, "max_position_embeddings": 32, "classifier_dropout": null}
        """);
  }

  private static Path write(Path modelDirectory, String... files) throws IOException {
    for (String file : files) {
      Path path = modelDirectory.resolve(file);
      Files.createDirectories(path.getParent());
      Files.write(path, new byte[] {0});
    }
    return modelDirectory;
  }

  private static Backends.Selection select(Backends backends, Path modelDirectory) {
    return backends.select(ANY_BACKEND, ANY_FORMAT, modelDirectory, Device.CPU);
  }

  /** The message of the selection error. */
  private static String failure(
      Backends backends, Optional<String> name, Optional<ModelFormat> format, Path modelDirectory, Device device) {
    return assertThrows(BackendException.class, () -> backends.select(name, format, modelDirectory, device))
        .getMessage();
  }

  private static String failure(Backends backends, Path modelDirectory) {
    return failure(backends, ANY_BACKEND, ANY_FORMAT, modelDirectory, Device.CPU);
  }

  /** The message of the option error loading with these options. */
  private String optionFailure(LoadOptions options) {
    return assertThrows(IllegalArgumentException.class, () -> requestFor(options)).getMessage();
  }

  @Test
  void highestPriorityBackendThatReadsAPresentFormatWins() throws IOException {
    Backends backends =
        new Backends(
            List.of(
                cpu("low", 10, ModelFormat.ONNX),
                cpu("high", 90, ModelFormat.SAFETENSORS),
                cpu("highest", 100, ModelFormat.TENSORFLOW_SAVED_MODEL)));

    Backends.Selection chosen = select(backends, checkpoint);

    assertEquals("high", chosen.backend().name());
    assertEquals(ModelFormat.SAFETENSORS, chosen.format());
    assertEquals(List.of("highest", "high", "low"), backends.all().stream().map(Backend::name).toList());
    Path onnxOnly = write(directory.resolve("onnx-only"), "model.onnx");
    assertEquals("low", select(backends, onnxOnly).backend().name());
  }

  @Test
  void equalPrioritiesAreBrokenByNameNotByListOrder() {
    FakeBackend beta = cpu("beta", 50, ModelFormat.ONNX);
    FakeBackend alpha = cpu("alpha", 50, ModelFormat.ONNX);

    assertEquals("alpha", select(new Backends(List.of(beta, alpha)), checkpoint).backend().name());
    assertEquals("alpha", select(new Backends(List.of(alpha, beta)), checkpoint).backend().name());
  }

  @Test
  void backendNamesAreUniqueAndDotFreeSoOptionKeysStayUnambiguous() {
    List<Backend> twice = List.of(cpu("onnx", 1, ModelFormat.ONNX), cpu("onnx", 2, ModelFormat.ONNX));
    List<Backend> dotted = List.of(cpu("onnx", 1, ModelFormat.ONNX), cpu("onnx.v2", 1, ModelFormat.ONNX));

    assertThrows(IllegalArgumentException.class, () -> new Backends(twice));
    assertThrows(IllegalArgumentException.class, () -> new Backends(dotted));
  }

  @Test
  void aNamedBackendWinsOverPriority() {
    Backends backends = new Backends(List.of(cpu("low", 10, ModelFormat.ONNX), cpu("high", 90, ModelFormat.ONNX)));

    Backends.Selection chosen = backends.select(Optional.of("low"), ANY_FORMAT, checkpoint, Device.CPU);

    assertEquals("low", chosen.backend().name());
  }

  @Test
  void theFormatAskedForWinsOverTheBackendsPreference() {
    FakeBackend both = cpu("both", 10, ModelFormat.TORCHSCRIPT, ModelFormat.ONNX);
    Backends backends = new Backends(List.of(both, cpu("weights", 90, ModelFormat.SAFETENSORS)));

    Backends.Selection preferred = backends.select(Optional.of("both"), ANY_FORMAT, checkpoint, Device.CPU);
    Backends.Selection onnx = backends.select(ANY_BACKEND, Optional.of(ModelFormat.ONNX), checkpoint, Device.CPU);

    assertEquals(ModelFormat.TORCHSCRIPT, preferred.format());
    assertEquals("both", onnx.backend().name(), "the higher-priority backend does not read ONNX");
    assertEquals(ModelFormat.ONNX, onnx.format());
  }

  @Test
  void aFormatTheBackendCannotReadOrTheDirectoryLacksNamesBoth() throws IOException {
    Backends backends = new Backends(List.of(cpu("graphs", 10, ModelFormat.ONNX)));
    Optional<String> graphs = Optional.of("graphs");

    String unread = failure(backends, graphs, Optional.of(ModelFormat.SAFETENSORS), checkpoint, Device.CPU);
    assertTrue(unread.contains("'graphs' cannot read SAFETENSORS: it reads [ONNX]"), unread);
    assertTrue(unread.contains("holds [ONNX, TORCHSCRIPT, SAFETENSORS]"), unread);

    Path weightsOnly = write(directory.resolve("weights-only"), "model.pt");
    String absent = failure(backends, graphs, Optional.of(ModelFormat.ONNX), weightsOnly, Device.CPU);
    assertTrue(absent.contains("'graphs' reads [ONNX], but " + weightsOnly + " holds no ONNX model"), absent);
    assertTrue(absent.contains("(onnx/model.onnx or model.onnx); it holds [TORCHSCRIPT]"), absent);
    String unnamed = failure(backends, ANY_BACKEND, Optional.of(ModelFormat.ONNX), weightsOnly, Device.CPU);
    assertTrue(unnamed.contains("no ONNX model (onnx/model.onnx or model.onnx) in " + weightsOnly), unnamed);
    assertTrue(unnamed.contains("which holds [TORCHSCRIPT]"), unnamed);

    String noneItReads = failure(backends, graphs, ANY_FORMAT, weightsOnly, Device.CPU);
    assertTrue(noneItReads.contains("'graphs' reads [ONNX], but " + weightsOnly + " holds [TORCHSCRIPT]"), noneItReads);
  }

  /**
   * A class loader that finds the test's classes through its parent but services files only in {@code root}, so
   * discovery sees exactly what the test registers (not the ONNX backend on the test classpath).
   */
  private URLClassLoader servicesOnly(Path root) throws IOException {
    return new URLClassLoader(new URL[] {root.toUri().toURL()}, getClass().getClassLoader()) {
      @Override
      public Enumeration<URL> getResources(String name) throws IOException {
        return findResources(name);
      }
    };
  }

  @Test
  void aBrokenBackendJarIsReportedNotHidden() throws IOException {
    Path services = directory.resolve("classes/META-INF/services");
    Files.createDirectories(services);
    Files.writeString(
        services.resolve(Backend.class.getName()),
        FakeBackend.Broken.class.getName() + "\n" + FakeBackend.Registered.class.getName() + "\ndev.example.Missing\n");
    Path pytorchOnly = write(directory.resolve("pytorch-only"), "model.pt");

    try (URLClassLoader loader = servicesOnly(directory.resolve("classes"))) {
      Backends backends = Backends.discover(loader);

      assertEquals(List.of("registered"), backends.all().stream().map(Backend::name).toList());
      assertEquals(2, backends.failures().size(), backends.failures().toString());
      assertEquals("registered", select(backends, checkpoint).backend().name());
      String none = failure(backends, pytorchOnly);
      assertTrue(none.contains("failed to load"), none);
      assertTrue(none.contains("missing native library"), none);
      assertTrue(none.contains("dev.example.Missing"), none);
      String named = failure(backends, Optional.of("broken"), ANY_FORMAT, checkpoint, Device.CPU);
      assertTrue(named.contains("missing native library"), named);
    }
  }

  @Test
  void noBackendSaysWhichArtifactReadsTheFormatsPresent() throws IOException {
    Backends none = new Backends(List.of());
    String onnxArtifact = new OnnxBackend().artifact();

    String onnx = failure(none, write(directory.resolve("graph"), "model.onnx"));
    assertTrue(onnx.contains("(none present)"), onnx);
    assertTrue(onnx.contains("add one of [" + onnxArtifact + " (reads [ONNX])]"), onnx);

    String torch = failure(none, write(directory.resolve("torch"), "model.pt"));
    assertTrue(torch.contains("dev.jtransformers:jtransformers-backend-pytorch"), torch);
    assertFalse(torch.contains(onnxArtifact), torch);

    Backends other = new Backends(List.of(cpu("graphs", 10, ModelFormat.ONNX)));
    String weights = failure(other, write(directory.resolve("weights"), "model.pt"));
    assertTrue(weights.contains("present: graphs from test.fakes:graphs reading [ONNX]"), weights);

    String nothing = failure(other, Files.createDirectories(directory.resolve("empty")));
    assertTrue(nothing.contains("holds no model in any known format (looked for onnx/model.onnx"), nothing);
  }

  @Test
  void anUnknownNameSaysWhichJarProvidesIt() {
    Backends backends = new Backends(List.of(cpu("graphs", 10, ModelFormat.ONNX)));

    String project = failure(backends, Optional.of("tensorflow"), ANY_FORMAT, checkpoint, Device.CPU);
    assertTrue(project.contains("no backend named 'tensorflow'; known: [graphs]"), project);
    assertTrue(project.contains("add dev.jtransformers:jtransformers-backend-tensorflow"), project);

    String foreign = failure(backends, Optional.of("mine"), ANY_FORMAT, checkpoint, Device.CPU);
    assertTrue(foreign.endsWith("add the jar that provides it"), foreign);
  }

  @Test
  void anUnsupportedDeviceCarriesTheBackendsHint() {
    FakeBackend cpuOnly =
        new FakeBackend("cpuonly", 90, EnumSet.of(Device.Type.CPU), "install the GPU build", ModelFormat.ONNX);
    FakeBackend gpu =
        new FakeBackend("gpu", 10, EnumSet.of(Device.Type.CPU, Device.Type.CUDA), null, ModelFormat.ONNX);
    Device cuda = Device.cuda(0);

    assertEquals(
        "gpu", new Backends(List.of(cpuOnly, gpu)).select(ANY_BACKEND, ANY_FORMAT, checkpoint, cuda).backend().name());

    Backends backends = new Backends(List.of(cpuOnly));
    String unnamed = failure(backends, ANY_BACKEND, ANY_FORMAT, checkpoint, cuda);
    assertTrue(unnamed.contains("on cuda:0: cpuonly supports [CPU] (install the GPU build)"), unnamed);
    String named = failure(backends, Optional.of("cpuonly"), ANY_FORMAT, checkpoint, cuda);
    assertTrue(named.endsWith("does not run on cuda:0 (it supports [CPU]); install the GPU build"), named);
  }

  // ---- the request a model is loaded with, and its backend options

  private LoadRequest requestFor(LoadOptions options) {
    Backends fake = new Backends(List.of(cpu("fake", 10, ModelFormat.SAFETENSORS, ModelFormat.ONNX)));
    ModelResolver resolver = new ModelResolver(new Cache(directory.resolve("cache")));
    ModelLoader loader = new ModelLoader(fake, HeadRegistry.of(List.of()), resolver);
    return ((FakeBackend.Loaded) loader.load(loader.checkpoint(checkpoint.toString(), options), options)).request();
  }

  @Test
  void theRequestCarriesTheChosenFormatConfigurationSettingsAndCache() {
    LoadOptions options =
        LoadOptions.builder()
            .format(ModelFormat.ONNX)
            .intraOpThreads(2)
            .interOpThreads(3)
            .backendOption("fake.level", "high")
            .build();

    LoadRequest request = requestFor(options);

    assertEquals(checkpoint, request.modelDirectory());
    assertEquals(ModelFormat.ONNX, request.format());
    assertEquals(ModelConfig.load(checkpoint), ModelConfig.fromMap(request.config()));
    assertEquals(2, request.intraOpThreads());
    assertEquals(3, request.interOpThreads());
    assertEquals(FakeBackend.Level.HIGH, request.options().get(FakeBackend.LEVEL));
    assertEquals(Optional.of(directory.resolve("cache")), request.cacheDirectory());
    LoadRequest defaults = requestFor(LoadOptions.DEFAULT);
    assertEquals(ModelFormat.SAFETENSORS, defaults.format(), "the backend's preference");
    assertEquals(FakeBackend.Level.LOW, defaults.options().get(FakeBackend.LEVEL));
  }

  @Test
  void optionsForAnotherBackendAreIgnored() {
    LoadOptions options =
        LoadOptions.builder().backendOption("onnx.optimization_level", "basic").backendOption("other.x", "y").build();

    assertEquals(Map.of(), requestFor(options).options().settings());
  }

  @Test
  void anUnknownOptionOfTheChosenBackendNamesTheKnownOnes() {
    String message = optionFailure(LoadOptions.builder().backendOption("fake.levle", "high").build());

    assertEquals("unknown backend option 'fake.levle': backend 'fake' has the options [level]", message);
  }

  @Test
  void aBadValueNamesTheAllowedOnes() {
    String message = optionFailure(LoadOptions.builder().backendOption("fake.level", "max").build());

    assertEquals("backend option fake.level: 'max' is not one of low, high", message);
  }

  @Test
  void anUnprefixedOptionSaysToPrefixIt() {
    String message = optionFailure(LoadOptions.builder().backendOption("level", "high").build());

    assertTrue(message.contains("prefix it with the backend's name, e.g. 'fake.level'"), message);
  }
}
