package dev.jtransformers.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI contract, run as users and independent checks run it: {@code java -jar target/jtransformers.jar}. */
class CliIT {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String MINILM = "sentence-transformers/all-MiniLM-L6-v2";

  @TempDir Path dir;

  @Test
  void tokenizeGivesTheSeedsIdsWithErrorsInPlace() throws Exception {
    List<JsonNode> out =
        run(
            "\"I've been waiting for a HuggingFace course my whole life.\"\n"
                + "not json\n"
                + "{\"text\": \"This is the first sentence.\", \"text_pair\": \"This is the second one.\"}\n"
                + "\"I hate this so much!\"\n",
            "tokenize", "--tokenizer", MINILM, "--padding", "longest");
    assertEquals(4, out.size());
    assertEquals(
        List.of(101, 1045, 1005, 2310, 2042, 3403, 2005, 1037, 17662, 12172, 2607, 2026, 2878, 2166, 1012, 102),
        ints(out.get(0).get("input_ids")));
    assertEquals(2, out.get(1).get("line").asInt());
    assertTrue(out.get(1).get("error").asText().contains("JSON"));
    assertEquals(
        List.of(0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 0), ints(out.get(2).get("token_type_ids")));
    assertEquals(
        List.of(101, 1045, 5223, 2023, 2061, 2172, 999, 102, 0, 0, 0, 0, 0, 0, 0, 0),
        ints(out.get(3).get("input_ids")));
    assertEquals(
        List.of(1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0), ints(out.get(3).get("attention_mask")));
    assertEquals(List.of(2, 6), ints(out.get(3).get("offsets").get(2)), "hate");
  }

  @Test
  void pipelineFeatureExtractionReadsAndWritesFiles() throws Exception {
    Path input = Files.writeString(dir.resolve("in.jsonl"), "\"I love this\"\n{\"text\": 3}\n\"Another one\"\n");
    Path output = dir.resolve("out.jsonl");
    run("", "pipeline", "feature-extraction", "--input", input.toString(), "--output", output.toString());
    List<JsonNode> out = lines(Files.readString(output));
    assertEquals(3, out.size());
    assertEquals(384, out.get(0).get("embedding").size());
    assertEquals(2, out.get(1).get("line").asInt());
    assertEquals(384, out.get(2).get("embedding").size());

    List<JsonNode> tokens = run("\"I love this\"\n", "pipeline", "feature-extraction", "--pooling", "none");
    assertEquals(5, tokens.get(0).get("hidden_states").size(), "[CLS] i love this [SEP]");
  }

  @Test
  void pipelineSentimentOnTheFineTunedCheckpoint() throws Exception {
    Path model = shared("models/minilm-l6-sst2");
    List<JsonNode> out =
        run(
            "\"I've been waiting for a HuggingFace course my whole life.\"\n\"I hate this so much!\"\n",
            "pipeline", "sentiment-analysis", "--model", model.toString(), "--top-k", "all");
    assertEquals("POSITIVE", out.get(0).get(0).get("label").asText());
    assertEquals("NEGATIVE", out.get(1).get(0).get("label").asText());
    assertEquals(2, out.get(1).size());
  }

  @Test
  void anExportedSavedModelServesThePipelineOnTensorFlowAsTheCheckpointDoesOnOnnx() throws Exception {
    Path model = shared("models/tiny-random-bert");
    Path exported = dir.resolve("saved");
    execute("", "export", "--model", model.toString(), "--format", "saved_model", "--out", exported.toString());

    String texts = "\"I love this\"\n{\"text\": \"Is it?\", \"text_pair\": \"Yes.\"}\n";
    List<JsonNode> onnx = run(texts, "pipeline", "text-classification", "--model", model.toString(), "--top-k", "all");
    List<JsonNode> tensorflow =
        run(texts, "pipeline", "text-classification", "--model", exported.toString(), "--backend", "tensorflow",
            "--top-k", "all");

    for (int line = 0; line < onnx.size(); line++) {
      for (int rank = 0; rank < 3; rank++) {
        JsonNode expected = onnx.get(line).get(rank);
        JsonNode actual = tensorflow.get(line).get(rank);
        assertEquals(expected.get("label").asText(), actual.get("label").asText());
        assertEquals(expected.get("score").asDouble(), actual.get("score").asDouble(), 1e-5);
      }
    }
  }

  @Test
  void overLongInputWithoutTruncationIsAnErrorOnItsLineOnly() throws Exception {
    String longText = "word ".repeat(300);
    List<JsonNode> out =
        run("\"short\"\n\"" + longText + "\"\n", "pipeline", "feature-extraction", "--no-truncation");
    assertEquals(384, out.get(0).get("embedding").size());
    assertEquals(2, out.get(1).get("line").asInt());
    assertTrue(out.get(1).get("error").asText().contains("256"), out.get(1).toString());
  }

  @Test
  void linesInTheInferenceApiShapeCarryTheirOwnParameters() throws Exception {
    List<JsonNode> out =
        run(
            "{\"inputs\": \"I love this\", \"parameters\": {\"top_k\": null}}\n"
                + "{\"inputs\": {\"text\": \"I hate this\"}, \"parameters\": {\"function_to_apply\": \"none\"}}\n"
                + "{\"inputs\": \"I love this\", \"parameters\": {\"topk\": 2}}\n"
                + "\"I love this\"\n",
            "pipeline", "sentiment-analysis");
    assertEquals(2, out.get(0).size(), "top_k None gives every label");
    assertEquals("NEGATIVE", out.get(1).get(0).get("label").asText());
    assertTrue(out.get(1).get(0).get("score").asDouble() > 1, "raw logits: " + out.get(1));
    assertEquals(3, out.get(2).get("line").asInt());
    assertTrue(out.get(2).get("error").asText().contains("no option 'topk'"), out.get(2).toString());
    assertEquals(1, out.get(3).size(), "the pipeline's own top_k for lines without parameters");
  }

  @Test
  void defaultSentimentNeedsNoModel() throws Exception {
    List<JsonNode> out =
        run(
            "\"I've been waiting for a HuggingFace course my whole life.\"\n\"I hate this so much!\"\n",
            "pipeline", "sentiment-analysis");
    assertEquals("POSITIVE", out.get(0).get(0).get("label").asText());
    assertEquals("NEGATIVE", out.get(1).get(0).get("label").asText());
  }

  @Test
  void aHeadTrainedOnUserDataServesAPipelineFromAConfigFile() throws Exception {
    StringBuilder data = new StringBuilder();
    String[] happy = {"what a lovely day", "this is wonderful", "I am so glad", "great news, thank you", "I love it"};
    String[] sad = {"what a terrible day", "this is awful", "I am so upset", "horrible news, sadly", "I hate it"};
    for (int i = 0; i < happy.length; i++) {
      data.append(MAPPER.writeValueAsString(java.util.Map.of("text", happy[i], "label", "joy"))).append('\n');
      data.append(MAPPER.writeValueAsString(java.util.Map.of("text", sad[i], "label", "gloom"))).append('\n');
    }
    Path train = Files.writeString(dir.resolve("moods.jsonl"), data);
    Path head = dir.resolve("mood-head");
    Path again = dir.resolve("mood-head-again");
    String summary =
        execute("", "train-head", "--train", train.toString(), "--head", "softmax", "--validation-split", "0.2",
            "--out", head.toString());
    assertTrue(summary.contains("accuracy"), summary);
    execute("", "train-head", "--train", train.toString(), "--head", "softmax", "--validation-split", "0.2", "--out",
        again.toString());
    assertEquals(
        java.util.Arrays.toString(Files.readAllBytes(head.resolve("head.safetensors"))),
        java.util.Arrays.toString(Files.readAllBytes(again.resolve("head.safetensors"))),
        "training twice gives bit-identical weights");

    Path config =
        Files.writeString(
            dir.resolve("moods.yaml"),
            "task: text-classification\nhead:\n  type: trained\n  path: " + head + "\ntop_k: all\n");
    List<JsonNode> out = run("\"such a lovely, wonderful day\"\n", "pipeline", "--config", config.toString());
    assertEquals("joy", out.get(0).get(0).get("label").asText());
    assertEquals(2, out.get(0).size());
  }

  private Path shared(String relative) {
    Path path = Path.of(System.getProperty("jtransformers.shared", "../shared")).resolve(relative);
    assumeTrue(Files.exists(path), "../shared absent (" + path + " not found): skipping a test that needs it");
    return path;
  }

  private static List<JsonNode> run(String stdin, String... args) throws IOException, InterruptedException {
    return lines(execute(stdin, args));
  }

  /** Runs the jar with these arguments and input, and returns its standard output. */
  private static String execute(String stdin, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    System.getProperties().stringPropertyNames().stream()
        .filter(k -> k.startsWith("jtransformers."))
        .forEach(k -> command.add("-D" + k + "=" + System.getProperty(k)));
    command.add("-jar");
    command.add(Path.of("target", "jtransformers.jar").toString());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    process.getOutputStream().close();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(2, TimeUnit.MINUTES), "the command finished");
    assertEquals(0, process.exitValue(), "exit status of " + command);
    return out;
  }

  private static List<JsonNode> lines(String text) throws IOException {
    List<JsonNode> nodes = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (!line.isBlank()) {
        nodes.add(MAPPER.readTree(line));
      }
    }
    return nodes;
  }

  private static List<Integer> ints(JsonNode array) {
    List<Integer> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asInt()));
    return values;
  }
}
