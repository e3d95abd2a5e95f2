package dev.jtransformers.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code pipeline question-answering} and {@code pipeline zero-shot-classification} as users and the independent
 * checks run them ({@code java -jar target/jtransformers.jar pipeline <task> --model DIR}, Inference API lines on
 * stdin): command-line flags set a call's defaults and a bad line errs on its own line. Every reference call is in
 * {@link TaskReferenceIT}.
 */
class QuestionAnsweringZeroShotIT {
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
