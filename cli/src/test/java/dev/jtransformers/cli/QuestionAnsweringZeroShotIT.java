package dev.jtransformers.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code pipeline question-answering} and {@code pipeline zero-shot-classification} as users and the independent
 * checks run them ({@code java -jar target/jtransformers.jar pipeline <task> --model DIR}, Inference API lines on
 * stdin): every call of the fixtures' {@code reference.pipeline.jsonl} prints what Python's pipeline returned.
 */
class QuestionAnsweringZeroShotIT {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @ParameterizedTest
  @ValueSource(strings = {"tiny-random-bert-qa", "tiny-random-distilbert-qa", "tiny-random-bert-nli"})
  void everyReferenceCallPrintsPythonsOutput(String name) throws Exception {
    Path model = CliIT.shared("models/" + name);
    List<JsonNode> calls = CliIT.lines(Files.readString(model.resolve("reference.pipeline.jsonl")));
    StringBuilder stdin = new StringBuilder();
    for (JsonNode call : calls) {
      ObjectNode line = MAPPER.createObjectNode();
      line.set("inputs", call.get("inputs"));
      line.set("parameters", call.get("parameters"));
      stdin.append(line).append('\n');
    }
    List<JsonNode> out =
        CliIT.run(stdin.toString(), "pipeline", calls.get(0).get("task").asText(), "--model", model.toString(),
            "--backend", "onnx");
    assertEquals(calls.size(), out.size());
    for (int i = 0; i < calls.size(); i++) {
      CliIT.assertSameJson(calls.get(i).get("output"), out.get(i), name + " line " + (i + 1));
    }
  }

  @Test
  void commandLineOptionsSetTheCallsDefaultsAndBadLinesErrOnTheirOwn() throws Exception {
    Path qa = CliIT.shared("models/tiny-random-bert-qa");
    JsonNode call = CliIT.lines(Files.readString(qa.resolve("reference.pipeline.jsonl"))).get(4); // top_k 3, windows
    List<JsonNode> answers =
        CliIT.runWithFailedLines(call.get("inputs") + "\n{\"question\": \"Who?\"}\n", "pipeline",
            "question-answering", "--model",
            qa.toString(), "--top-k", "3", "--doc-stride", "32", "--max-seq-len", "96");
    CliIT.assertSameJson(call.get("output"), answers.get(0), "question-answering with flags");
    assertEquals(2, answers.get(1).get("line").asInt());
    assertTrue(answers.get(1).get("error").asText().contains("\"context\""), answers.get(1).toString());

    Path nli = CliIT.shared("models/tiny-random-bert-nli");
    JsonNode topics = CliIT.lines(Files.readString(nli.resolve("reference.pipeline.jsonl"))).get(1); // multi_label
    List<JsonNode> scored =
        CliIT.run(topics.get("inputs") + "\n", "pipeline", "zero-shot-classification", "--model", nli.toString(),
            "--candidate-labels", String.join(",", strings(topics.get("parameters").get("candidate_labels"))),
            "--multi-label");
    CliIT.assertSameJson(topics.get("output"), scored.get(0), "zero-shot with flags");
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asText()));
    return values;
  }
}
