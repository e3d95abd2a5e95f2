package dev.jtransformers.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every call of every task fixture's {@code reference.pipeline.jsonl}, sent to the packaged jar as Inference API lines
 * on every backend, prints what Python's pipeline returned: the same keys in the same order, the same nesting, scores
 * within 1e-4.
 */
class TaskReferenceIT {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static final List<String> FIXTURES =
      List.of("tiny-random-bert-ner", "tiny-random-distilbert-ner", "tiny-random-bert-mlm",
          "tiny-random-distilbert-mlm", "tiny-random-bert-qa", "tiny-random-distilbert-qa", "tiny-random-bert-nli");

  /** Each backend with the format it builds the network from. */
  private static final List<List<String>> BACKENDS =
      List.of(List.of("onnx", "onnx"), List.of("pytorch", "safetensors"), List.of("tensorflow", "safetensors"));

  static Stream<Arguments> fixturesOnEveryBackend() {
    return FIXTURES.stream().flatMap(f -> BACKENDS.stream().map(b -> Arguments.of(f, b.get(0), b.get(1))));
  }

  @ParameterizedTest(name = "{0} on {1} ({2})")
  @MethodSource("fixturesOnEveryBackend")
  void everyReferenceCallPrintsPythonsOutput(String fixture, String backend, String format) throws Exception {
    Path model = CliIT.shared("models/" + fixture);
    List<JsonNode> calls = CliIT.lines(Files.readString(model.resolve("reference.pipeline.jsonl")));
    StringBuilder stdin = new StringBuilder();
    for (JsonNode call : calls) {
      ObjectNode line = MAPPER.createObjectNode();
      line.set("inputs", call.get("inputs"));
      line.set("parameters", call.get("parameters"));
      stdin.append(line).append('\n');
    }
    String task = calls.get(0).get("task").asText();
    List<JsonNode> out = CliIT.run(stdin.toString(), "pipeline", task, "--model", model.toString(), "--backend",
        backend, "--format", format);
    assertEquals(calls.size(), out.size(), fixture);
    for (int i = 0; i < calls.size(); i++) {
      CliIT.assertSameJson(calls.get(i).get("output"), out.get(i), fixture + " line " + (i + 1));
    }
  }
}
