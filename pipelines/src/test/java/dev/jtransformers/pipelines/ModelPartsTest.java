package dev.jtransformers.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jtransformers.api.ModelLoadException;
import dev.jtransformers.api.Pipeline;
import dev.jtransformers.api.TextInput;
import dev.jtransformers.pipelines.spi.Task;
import dev.jtransformers.pipelines.tasks.TextClassification;
import dev.jtransformers.pipelines.tasks.TokenClassification;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model folder whose parts belong to different models fails when the pipeline is built, with a message naming the
 * folder and the two sizes that disagree, before any text reaches the network.
 */
class ModelPartsTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void theUnchangedCopyLoads() throws IOException {
    Path model = copy("models/tiny-random-bert", "tiny", config -> {});
    try (Pipeline<?> pipeline = create(TextClassification.TASK, model)) {
      assertEquals(1, pipeline.applyAll(List.of(TextInput.of("fine"))).size());
    }
  }

  @Test
  void moreLabelsThanLogits() throws IOException {
    Path model = copy("models/tiny-random-bert", "labels", config -> {
      config.remove("label2id");
      config.set("id2label", MAPPER.createObjectNode().put("0", "A").put("1", "B").put("2", "C").put("3", "D"));
    });
    assertRefused(TextClassification.TASK, model, "returns logits 3 wide", "label count", "is 4");
  }

  @Test
  void anotherModelsGraph() throws IOException {
    Path model = copy("models/tiny-random-bert", "graph", config -> {});
    Path graph = model.resolve("onnx/model.onnx");
    Files.delete(graph);
    Files.createSymbolicLink(graph, SharedFixtures.require("models/minilm-l6-sst2/onnx/model.onnx").toAbsolutePath());
    assertRefused(TextClassification.TASK, model, "last_hidden_state 384 wide", "hidden size is 32");
  }

  @Test
  void aTokenizerLargerThanTheVocabulary() throws IOException {
    Path model = copy("models/tiny-random-bert", "vocab", config -> config.put("vocab_size", 4000));
    assertRefused(TextClassification.TASK, model, "has 30522 tokens", "vocab_size is 4000");
  }

  @Test
  void aVocabularyLargerThanTheNetworksTable() throws IOException {
    Path model = copy("models/tiny-random-bert-ner", "table", config -> config.put("vocab_size", 30522));
    assertRefused(TokenClassification.TASK, model, "fails on token id 30521", "vocab_size 30522");
  }

  @Test
  void aTokenizerLimitBeyondThePositions() throws IOException {
    Path model = copy("models/tiny-random-bert", "positions", config -> {});
    Path tokenizerConfig = model.resolve("tokenizer_config.json");
    ObjectNode settings = (ObjectNode) MAPPER.readTree(tokenizerConfig.toFile());
    Files.writeString(tokenizerConfig, settings.put("model_max_length", 1024).toString());
    assertRefused(TextClassification.TASK, model, "model_max_length of tokenizer_config.json", "is 1024",
        "max_position_embeddings is 512");
  }

  private static TaskPipeline<?> create(Task<?> task, Path model) {
    return Pipelines.create(PipelineConfig.builder(task).model(model.toString()).backend("onnx").build());
  }

  private static void assertRefused(Task<?> task, Path model, String... phrases) {
    ModelLoadException e = assertThrows(ModelLoadException.class, () -> create(task, model).close());
    assertTrue(e.getMessage().contains(model.toString()), e.getMessage());
    for (String phrase : phrases) {
      assertTrue(e.getMessage().contains(phrase), e.getMessage());
    }
  }

  /** A writable copy of a fixture folder, its {@code config.json} edited. */
  private Path copy(String fixture, String name, Consumer<ObjectNode> edit) throws IOException {
    Path source = SharedFixtures.require(fixture);
    Path target = dir.resolve(name);
    try (Stream<Path> files = Files.walk(source)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Path copy = target.resolve(source.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(copy);
        } else if (!file.getFileName().toString().endsWith(".pt")) {
          Files.copy(file, copy);
          copy.toFile().setWritable(true);
        }
      }
    }
    Path config = target.resolve("config.json");
    ObjectNode tree = (ObjectNode) MAPPER.readTree(config.toFile());
    edit.accept(tree);
    Files.writeString(config, tree.toString());
    return target;
  }
}
