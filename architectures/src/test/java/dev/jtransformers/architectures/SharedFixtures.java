package dev.jtransformers.architectures;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jtransformers.api.Tensor;
import dev.jtransformers.models.ModelConfig;
import dev.jtransformers.models.safetensors.SafetensorsFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The shared fixture models ({@code ../shared}, passed by the build as {@code jtransformers.shared}). */
final class SharedFixtures {
  /** {@code @MethodSource} of the sequence classifiers with a {@code reference.jsonl}. */
  static final String CLASSIFIERS = "dev.jtransformers.architectures.SharedFixtures#classifiers";
  /** {@code @MethodSource} of the token-classification, question-answering and masked-LM models. */
  static final String TASK_MODELS = "dev.jtransformers.architectures.SharedFixtures#taskModels";
  /** {@code @MethodSource} of every fixture model with a {@code model.safetensors}. */
  static final String CHECKPOINTS = "dev.jtransformers.architectures.SharedFixtures#checkpoints";

  private SharedFixtures() {}

  static List<String> classifiers() {
    return List.of("tiny-random-bert", "tiny-random-distilbert", "minilm-l6-sst2");
  }

  static List<String> taskModels() {
    return List.of(
        "tiny-random-bert-ner",
        "tiny-random-distilbert-ner",
        "tiny-random-bert-qa",
        "tiny-random-distilbert-qa",
        "tiny-random-bert-mlm",
        "tiny-random-distilbert-mlm");
  }

  static Stream<String> checkpoints() {
    return Stream.of(classifiers(), List.of("tiny-random-bert-nli"), taskModels()).flatMap(List::stream);
  }

  /** A fixture model directory; skips the calling test when the shared folder is absent. */
  static Path model(String name) {
    String shared = System.getProperty("jtransformers.shared", "../shared");
    Path directory = Path.of(shared, "models", name);
    assumeTrue(
        Files.isDirectory(directory),
        () -> shared + " absent: skipping the test that needs the fixture model " + name);
    return directory;
  }

  /** A file or folder of the shared folder; skips the calling test when it is absent. */
  static Path shared(String relative) {
    String shared = System.getProperty("jtransformers.shared", "../shared");
    Path path = Path.of(shared, relative);
    assumeTrue(Files.exists(path), () -> shared + " absent: skipping the test that needs " + relative + " from it");
    return path;
  }

  /** The network of a model directory's {@code config.json} and {@code model.safetensors}, on plain arrays. */
  static Network<Tensor> network(Path directory) {
    try (SafetensorsFile weights = SafetensorsFile.open(directory.resolve("model.safetensors"))) {
      return Network.build(NetworkSpec.of(ModelConfig.load(directory)), new FloatArrayOps(), weights);
    }
  }

  /** The inputs {@code spec} takes, from {@code [batch, sequence]} matrices; {@code typeIds} only if it takes them. */
  static Map<String, Tensor> inputs(NetworkSpec spec, long[][] ids, long[][] mask, long[][] typeIds) {
    Map<String, Tensor> inputs = new HashMap<>();
    inputs.put(NetworkSpec.INPUT_IDS, FloatArrayOps.indices(ids));
    inputs.put(NetworkSpec.ATTENTION_MASK, FloatArrayOps.indices(mask));
    if (spec.inputNames().contains(NetworkSpec.TOKEN_TYPE_IDS)) {
      inputs.put(NetworkSpec.TOKEN_TYPE_IDS, FloatArrayOps.indices(typeIds));
    }
    return inputs;
  }
}
