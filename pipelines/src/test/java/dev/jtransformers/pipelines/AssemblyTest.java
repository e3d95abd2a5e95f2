package dev.jtransformers.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.name.Names;
import dev.jtransformers.api.BackendException;
import dev.jtransformers.api.Device;
import dev.jtransformers.api.Label;
import dev.jtransformers.api.Pipeline;
import dev.jtransformers.api.TextInput;
import dev.jtransformers.heads.HeadRegistry;
import dev.jtransformers.models.ModelResolver;
import dev.jtransformers.pipelines.tasks.TextClassification;
import dev.jtransformers.pipelines.tasks.TopK;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The three ways to assemble a pipeline — Java, a config file, Guice — build the same pipeline. */
class AssemblyTest {
  private static final List<TextInput> COURSE =
      List.of(
          TextInput.of("I've been waiting for a HuggingFace course my whole life."),
          TextInput.of("I hate this so much!"));

  @TempDir Path dir;

  @Test
  void javaConfigFileAndGuiceGiveTheSameResults() throws IOException {
    Path model = SharedFixtures.require("models/minilm-l6-sst2");
    var java =
        PipelineConfig.builder(TextClassification.TASK).model(model.toString()).backend("onnx").option(TextClassification.TOP_K, TopK.ALL).build();
    Path file =
        Files.writeString(
            dir.resolve("sentiment.yaml"),
            "task: sentiment-analysis\nmodel: " + model + "\nbackend: onnx\ntop_k: all\n");

    List<List<Label>> fromJava;
    try (Pipeline<List<Label>> p = Pipelines.create(java)) {
      fromJava = p.applyAll(COURSE);
    }
    List<?> fromFile;
    try (Pipeline<?> p = Pipelines.create(PipelineConfig.load(file))) {
      fromFile = p.applyAll(COURSE);
    }
    Injector injector =
        Guice.createInjector(new PipelineModule().withPipeline("sentiment", PipelineConfig.load(file)));
    List<?> fromGuice;
    try (Pipeline<?> p = injector.getInstance(Key.get(Pipeline.class, Names.named("sentiment")))) {
      fromGuice = p.applyAll(COURSE);
    }
    assertEquals(fromJava, fromFile);
    assertEquals(fromJava, fromGuice);
    assertEquals("POSITIVE", fromJava.get(0).get(0).label());
    assertEquals("NEGATIVE", fromJava.get(1).get(0).label());
  }

  @Test
  void noBackendOnTheClasspathSaysWhichArtifactToAdd() {
    Path model = SharedFixtures.require("models/tiny-random-bert");
    PipelineFactory factory =
        new PipelineFactory(new Backends(List.of()), HeadRegistry.fromServiceLoader(), new ModelResolver());
    BackendException e =
        assertThrows(
            BackendException.class,
            () -> factory.create(PipelineConfig.builder(TextClassification.TASK).model(model.toString()).build()));
    assertTrue(e.getMessage().contains("jtransformers-backend-onnx"), e.getMessage());

    PipelineFactory real = PipelineFactory.fromServiceLoader();
    BackendException unknown =
        assertThrows(
            BackendException.class,
            () ->
                real.create(
                    PipelineConfig.builder(TextClassification.TASK).model(model.toString()).backend("tensorflow").build()));
    assertTrue(unknown.getMessage().contains("jtransformers-backend-tensorflow"), unknown.getMessage());

    BackendException gpu =
        assertThrows(
            BackendException.class,
            () ->
                real.create(
                    PipelineConfig.builder(TextClassification.TASK).model(model.toString()).device(Device.cuda(0)).build()));
    assertTrue(gpu.getMessage().contains("onnx supports [CPU]") && gpu.getMessage().contains("onnxruntime_gpu"),
        gpu.getMessage());
  }
}
