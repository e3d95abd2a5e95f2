package dev.jtransformers.backend.pytorch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jtransformers.api.BatchEncoding;
import dev.jtransformers.api.EncodeOptions;
import dev.jtransformers.api.Tensor;
import dev.jtransformers.api.TextInput;
import dev.jtransformers.architectures.DropoutRates;
import dev.jtransformers.architectures.LoraConfig;
import dev.jtransformers.architectures.NetworkSpec;
import dev.jtransformers.architectures.Weights;
import dev.jtransformers.models.Cache;
import dev.jtransformers.models.ModelConfig;
import dev.jtransformers.models.safetensors.SafetensorsFile;
import dev.jtransformers.tokenizer.Tokenizers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * One training step of tiny-random-bert against Python {@code transformers}' (the shared {@code reference/finetune}:
 * loss, logits, every gradient, every parameter after AdamW), and the same seed giving the same weights.
 */
class TrainableNetworkTest {
  /** What the reference asks for. */
  private static final double RELATIVE = 1e-5;
  private static final Optional<Path> CACHE = Optional.of(Cache.atDefaultLocation().root());

  @Test
  void firstStepEqualsTransformers() throws IOException {
    Path model = shared("models/tiny-random-bert");
    Path reference = shared("reference/finetune");
    JsonNode step = new ObjectMapper().readTree(reference.resolve("tiny-random-bert.step1.json").toFile());
    BatchEncoding batch = batch(model, step);
    int[] labels = ints(step.get("labels"));
    NetworkSpec spec = NetworkSpec.of(ModelConfig.load(model)).withDropout(DropoutRates.NONE);
    JsonNode optimizer = step.get("optimizer");
    AdamW adamW =
        new AdamW(
            optimizer.get("betas").get(0).asDouble(),
            optimizer.get("betas").get(1).asDouble(),
            optimizer.get("eps").asDouble(),
            optimizer.get("weight_decay").asDouble());
    try (SafetensorsFile weights = SafetensorsFile.open(model.resolve("model.safetensors"));
        TrainableNetwork network =
            TrainableNetwork.create(spec, Weights.of(weights), Optional.empty(), adamW, 0, 0, CACHE, 1);
        SafetensorsFile grads = SafetensorsFile.open(reference.resolve("tiny-random-bert.step1.grads.safetensors"));
        SafetensorsFile after = SafetensorsFile.open(reference.resolve("tiny-random-bert.step1.after.safetensors"))) {
      float[] logits = floats(step.get("logits"));
      assertWithin("logits", Tensor.wrap(logits, logits.length), Tensor.wrap(network.logits(batch).toFloatArray(),
          logits.length), i -> RELATIVE * Math.abs(logits[i]));

      Map<String, Tensor> gradients = network.gradients(batch, labels);
      assertEquals(grads.names(), gradients.keySet(), "gradient names");
      double largest = grads.names().stream().mapToDouble(name -> largest(grads.getFloat(name))).max().orElseThrow();
      for (String name : grads.names()) {
        Tensor expected = grads.getFloat(name);
        // Relative to the tensor's largest; a tensor whose gradient is zero in exact arithmetic (the key biases:
        // softmax ignores a shift common to all keys) holds rounding noise, compared on the global scale.
        double tolerance = RELATIVE * Math.max(largest(expected), largest * 1e-6);
        assertWithin("gradient of " + name, expected, gradients.get(name), i -> tolerance);
      }

      double learningRate = optimizer.get("lr").asDouble();
      TrainableNetwork.Step result = network.step(batch, labels, learningRate);
      assertEquals(step.get("loss").asDouble(), result.loss(), RELATIVE * step.get("loss").asDouble(), "loss");
      Map<String, Tensor> parameters = network.parameters();
      assertEquals(after.names(), parameters.keySet(), "parameter names");
      for (String name : after.names()) {
        float[] expected = grads.getFloat(name).toFloatArray();
        float[] actual = gradients.get(name).toFloatArray();
        Tensor expectedAfter = after.getFloat(name);
        float[] values = expectedAfter.toFloatArray();
        // AdamW's first step moves a parameter by lr g / (|g| + eps): 1e-5 of the value or of the step, plus the
        // gradients' own difference carried through it, which counts only where |g| is near eps (1e-8).
        assertWithin(
            name + " after the step",
            expectedAfter,
            parameters.get(name),
            i -> RELATIVE * Math.max(Math.abs(values[i]), learningRate)
                + learningRate * Math.abs(expected[i] - actual[i]) / (Math.abs(expected[i]) + adamW.epsilon()));
      }
    }
  }

  @Test
  void theSameSeedGivesTheSameWeights() {
    Path model = shared("models/tiny-random-bert");
    BatchEncoding batch = batch(model, List.of("a first text to learn from", "and a second", "third"));
    int[] labels = {0, 2, 1};
    NetworkSpec spec = NetworkSpec.of(ModelConfig.load(model)); // dropout on, drawn from the seed
    LoraConfig lora = new LoraConfig(4, 8, 0.1, List.of("query", "value"), List.of("classifier"));
    List<Map<String, Tensor>> runs = new ArrayList<>();
    for (Optional<LoraConfig> adapters : List.of(Optional.<LoraConfig>empty(), Optional.of(lora))) {
      for (int run = 0; run < 2; run++) {
        try (SafetensorsFile weights = SafetensorsFile.open(model.resolve("model.safetensors"));
            TrainableNetwork network =
                TrainableNetwork.create(spec, Weights.of(weights), adapters, AdamW.DEFAULT, 1.0, 7, CACHE, 1)) {
          for (int i = 0; i < 3; i++) {
            network.step(batch, labels, 1e-3);
          }
          runs.add(network.parameters());
        }
      }
    }
    for (int pair = 0; pair < runs.size(); pair += 2) {
      Map<String, Tensor> first = runs.get(pair);
      Map<String, Tensor> second = runs.get(pair + 1);
      first.forEach(
          (name, value) -> assertArrayEquals(value.toFloatArray(), second.get(name).toFloatArray(), name));
    }
    // LoRA trained the adapters (merged into the query weights) and the classifier, and nothing else.
    try (SafetensorsFile original = SafetensorsFile.open(model.resolve("model.safetensors"))) {
      Map<String, Tensor> adapted = runs.get(2);
      String query = "bert.encoder.layer.0.attention.self.query.weight";
      assertNotEquals(original.getFloat(query), adapted.get(query), query);
      assertNotEquals(original.getFloat("classifier.weight"), adapted.get("classifier.weight"));
      String key = "bert.encoder.layer.0.attention.self.key.weight";
      assertArrayEquals(original.getFloat(key).toFloatArray(), adapted.get(key).toFloatArray(), key);
    }
  }

  private static void assertWithin(String what, Tensor expected, Tensor actual, IntToDoubleFunction tolerance) {
    assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
    float[] e = expected.toFloatArray();
    float[] a = actual.toFloatArray();
    for (int i = 0; i < e.length; i++) {
      int at = i;
      assertTrue(
          Math.abs(e[i] - a[i]) <= tolerance.applyAsDouble(i),
          () -> what + "[" + at + "]: expected " + e[at] + ", got " + a[at]);
    }
  }

  private static double largest(Tensor tensor) {
    double largest = 0;
    for (float value : tensor.toFloatArray()) {
      largest = Math.max(largest, Math.abs(value));
    }
    return largest;
  }

  private static BatchEncoding batch(Path model, JsonNode step) {
    List<String> texts = new ArrayList<>();
    step.get("texts").forEach(text -> texts.add(text.asText()));
    return batch(model, texts);
  }

  private static BatchEncoding batch(Path model, List<String> texts) {
    EncodeOptions longest =
        EncodeOptions.builder()
            .truncation(EncodeOptions.Truncation.LONGEST_FIRST)
            .maxLength(128)
            .padding(EncodeOptions.Padding.LONGEST)
            .build();
    return Tokenizers.load(model).encodeBatch(texts.stream().map(TextInput::of).toList(), longest);
  }

  private static int[] ints(JsonNode array) {
    int[] values = new int[array.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = array.get(i).asInt();
    }
    return values;
  }

  private static float[] floats(JsonNode rows) {
    List<Float> values = new ArrayList<>();
    rows.forEach(row -> row.forEach(value -> values.add((float) value.asDouble())));
    float[] flat = new float[values.size()];
    for (int i = 0; i < flat.length; i++) {
      flat[i] = values.get(i);
    }
    return flat;
  }

  private static Path shared(String path) {
    String shared = System.getProperty("jtransformers.shared", "../shared");
    Path directory = Path.of(shared, path);
    assumeTrue(Files.isDirectory(directory), () -> shared + " absent: skipping the test that needs " + path);
    return directory;
  }
}
