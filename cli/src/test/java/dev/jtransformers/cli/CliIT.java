package dev.jtransformers.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jtransformers.models.Cache;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
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
        runWithFailedLines(
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
    runWithFailedLines(
        "", "pipeline", "feature-extraction", "--input", input.toString(), "--output", output.toString());
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
  void anInt8ExportCalibratedOnTheShippedSentencesEmbedsAsTheFloatModelDoes() throws Exception {
    Path exported = dir.resolve("int8");
    execute("", "export", "--model", MINILM, "--format", "onnx_int8", "--out", exported.toString());
    // in one batch, padded together: batch-mates share the activations' quantisation scales (one batch at a time,
    // or a machine of several cores would cut the five into batches side by side)
    String texts = "\"A man is playing a guitar.\"\n\"The stock market fell sharply today, by 3.2%.\"\n"
        + "\"unflinchingly bleak and desperate\"\n\"ok\"\n\"Where is the nearest train station?\"\n";
    List<JsonNode> full =
        run(texts, "pipeline", "feature-extraction", "--batch-size", "8", "--parallel-batches", "1");
    List<JsonNode> quantised = run(texts, "pipeline", "feature-extraction", "--model", exported.toString(),
        "--batch-size", "8", "--parallel-batches", "1");

    for (int line = 0; line < full.size(); line++) {
      JsonNode a = full.get(line).get("embedding");
      JsonNode b = quantised.get(line).get("embedding");
      double dot = 0;
      for (int i = 0; i < a.size(); i++) {
        dot += a.get(i).asDouble() * b.get(i).asDouble(); // both normalised
      }
      assertTrue(dot >= 0.99, "line " + (line + 1) + ": cosine " + dot);
    }
    Run missing = exec(environment -> { }, "", "export", "--model", MINILM, "--format", "onnx_int8", "--out",
        dir.resolve("other").toString(), "--calibration", dir.resolve("no-such.txt").toString());
    assertEquals(2, missing.status(), missing.err());
    assertTrue(missing.err().contains("no-such.txt: no such file"), missing.err());
  }

  @Test
  void overLongInputWithoutTruncationIsAnErrorOnItsLineOnly() throws Exception {
    String longText = "word ".repeat(300);
    List<JsonNode> out =
        runWithFailedLines(
            "\"short\"\n\"" + longText + "\"\n", "pipeline", "feature-extraction", "--no-truncation");
    assertEquals(384, out.get(0).get("embedding").size());
    assertEquals(2, out.get(1).get("line").asInt());
    assertTrue(out.get(1).get("error").asText().contains("256"), out.get(1).toString());
  }

  @Test
  void linesInTheInferenceApiShapeCarryTheirOwnParameters() throws Exception {
    List<JsonNode> out =
        runWithFailedLines(
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
  void noEngineRecordsTelemetryEvenWhenTheEnvironmentDoesNotOptOut() throws Exception {
    Path home = Files.createDirectories(dir.resolve("home"));
    String out =
        execute(
            environment -> {
              environment.keySet().removeAll(List.of("ORT_DISABLE_TELEMETRY", "OPT_OUT_TRACKING", "DJL_OFFLINE"));
              environment.put("HOME", home.toString());
              environment.putIfAbsent("JTRANSFORMERS_CACHE", Cache.atDefaultLocation().root().toString());
            },
            "\"I love this\"\n",
            "pipeline", "sentiment-analysis");
    assertEquals("POSITIVE", lines(out).get(0).get(0).get("label").asText());
    assertFalse(Files.exists(home.resolve(".cache/Microsoft")), "ONNX Runtime wrote no device id nor event queue");
  }

  @Test
  void answersEachLineAsItArrives() throws Exception {
    Process process = start(environment -> { }, "pipeline", "sentiment-analysis");
    try (var in = new java.io.PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
        var out = new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      in.println("\"I love this\"");
      assertEquals("POSITIVE", MAPPER.readTree(out.readLine()).get(0).get("label").asText(), "answered before more");
      in.println("\"I hate this so much!\"");
      assertEquals("NEGATIVE", MAPPER.readTree(out.readLine()).get(0).get("label").asText());
    }
    assertTrue(process.waitFor(1, TimeUnit.MINUTES));
    assertEquals(0, process.exitValue());
  }

  @Test
  void aFailedWriteStopsTheRunWithAnError() throws Exception {
    Run full = exec(environment -> { }, "\"I love this\"\n", "pipeline", "sentiment-analysis", "--output", "/dev/full");
    assertEquals(1, full.status(), full.err());
    assertTrue(full.err().contains("No space left on device"), full.err());
  }

  @Test
  void aClosedOutputEndsTheRunPromptly() throws Exception {
    Process process = start(environment -> { }, "pipeline", "sentiment-analysis");
    try (var in = process.getOutputStream()) {
      in.write("\"I love this\"\n".repeat(3000).getBytes(StandardCharsets.UTF_8));
    }
    try (var out = new BufferedReader(new InputStreamReader(process.getInputStream(),
        StandardCharsets.UTF_8))) {
      assertTrue(out.readLine().contains("POSITIVE"));
    } // as `| head -1` does
    assertTrue(process.waitFor(1, TimeUnit.MINUTES), "the run stopped once its output was closed");
    assertEquals(1, process.exitValue());
  }

  @Test
  void aDirectoryAsInputIsAUsageError(@TempDir Path folder) throws Exception {
    Run run = exec(environment -> { }, "", "pipeline", "sentiment-analysis", "--input", folder.toString());
    assertEquals(2, run.status(), run.err());
    assertTrue(run.err().contains("--input " + folder + ": is a directory, not a file"), run.err());
  }

  @Test
  void failFastStopsAtTheFirstFailedLine() throws Exception {
    Run run = exec(environment -> { }, "\"fine\"\nnot json\n\"never run\"\n", "pipeline", "sentiment-analysis",
        "--fail-fast");
    assertEquals(3, run.status(), run.err());
    assertTrue(run.err().contains("line 2: not JSON"), run.err());
    assertEquals(2, lines(run.out()).size(), "the good line, then the failed one");
  }

  @Test
  void argumentsAreCheckedBeforeTheModelLoads() throws Exception {
    Run head = exec(environment -> { }, "", "pipeline", "sentiment-analysis", "--head", "/no/such/head");
    assertEquals(2, head.status());
    assertTrue(head.err().contains("--head no model directory '/no/such/head'"), head.err());
    Run input = exec(environment -> { }, "", "pipeline", "sentiment-analysis", "--input", "/no/such.jsonl");
    assertTrue(input.err().contains("/no/such.jsonl: no such file or directory"), input.err());
    Run option = exec(environment -> { }, "", "pipeline", "feature-extraction", "--top-k", "2");
    assertEquals(2, option.status());
    assertTrue(option.err().contains("--top-k is not an option of task feature-extraction"), option.err());
    Run length = exec(environment -> { }, "\"x\"\n", "pipeline", "feature-extraction", "--max-length", "1000");
    assertEquals(1, length.status());
    assertTrue(length.err().contains("max_length 1000 exceeds the 512 positions"), length.err());
  }

  @Test
  void hostileLinesGetTheirOwnErrorsAndTheOthersStillRun() throws Exception {
    ByteArrayOutputStream stdin = new ByteArrayOutputStream();
    stdin.write(new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf}); // a byte-order mark, skipped
    stdin.writeBytes("\"fine\"\n\"a\" \"b\"\n".getBytes(StandardCharsets.UTF_8));
    stdin.writeBytes(new byte[] {'"', 'a', (byte) 0xff, (byte) 0xfe, 'b', '"', '\n'});
    stdin.writeBytes("\n{\"text\": \"a b c\", \"text_pair\": \"d e f\"}\n\"also fine\"\n".getBytes(StandardCharsets.UTF_8));
    Run run = exec(environment -> { }, stdin.toByteArray(), "tokenize", "--tokenizer", MINILM, "--max-length", "2");
    List<JsonNode> out = lines(run.out());
    assertEquals(6, out.size(), "one output line per input line: " + run.out());
    assertEquals(List.of(101, 102), ints(out.get(0).get("input_ids")));
    assertTrue(out.get(1).get("error").asText().startsWith("more than one JSON value"), out.get(1).toString());
    assertEquals("not valid UTF-8", out.get(2).get("error").asText());
    assertTrue(out.get(3).get("error").asText().startsWith("empty line"), out.get(3).toString());
    assertTrue(out.get(4).get("error").asText().contains("no room for the 3 special tokens"), out.get(4).toString());
    assertEquals(List.of(101, 102), ints(out.get(5).get("input_ids")));
    assertEquals(3, run.status());
    assertTrue(run.err().contains("4 of 6 lines failed; first at line 2"), run.err());
  }

  /**
   * The held-back hostile lines of {@code bad-input/hostile-lines.jsonl}, with a multi-megabyte valid line and a
   * multi-megabyte broken one, through the real jar: one aligned output line per input line, the valid lines' results
   * as when they run alone, no stack trace, exit status 3.
   */
  @Test
  void aFileOfHostileLinesGetsOneAlignedLinePerInput() throws Exception {
    byte[] hostile;
    try (var resource = CliIT.class.getResourceAsStream("/bad-input/hostile-lines.jsonl")) {
      hostile = resource.readAllBytes();
    }
    String megabytes = "this movie is great ".repeat(150_000);
    ByteArrayOutputStream stdin = new ByteArrayOutputStream();
    stdin.writeBytes(hostile);
    stdin.writeBytes(("\"" + megabytes + "\"\n{\"text\": \"" + megabytes + "\n").getBytes(StandardCharsets.UTF_8));
    List<Integer> valid = List.of(0, 8, 9, 10, 13, 16, 17, 18);
    int inputLines = 20;

    Run run = exec(environment -> { }, stdin.toByteArray(), "pipeline", "sentiment-analysis");
    assertEquals(3, run.status(), run.err());
    assertFalse(run.out().contains("\tat ") || run.out().contains("Exception"), run.out());
    assertFalse(run.err().contains("\tat "), "no stack trace: " + run.err());
    List<JsonNode> out = lines(run.out());
    assertEquals(inputLines, out.size(), "one output line per input line: " + run.out());

    List<String> validLines = new ArrayList<>(List.of(new String(hostile, StandardCharsets.UTF_8).split("\n", -1)));
    validLines.set(18, "\"" + megabytes + "\"");
    StringBuilder alone = new StringBuilder();
    valid.forEach(i -> alone.append(validLines.get(i)).append('\n'));
    List<JsonNode> expected = run(alone.toString(), "pipeline", "sentiment-analysis");
    for (int i = 0; i < inputLines; i++) {
      JsonNode line = out.get(i);
      if (valid.contains(i)) {
        assertSameJson(expected.get(valid.indexOf(i)), line, "line " + (i + 1));
      } else {
        assertEquals(i + 1, line.get("line").asInt(), line.toString());
        assertTrue(line.get("error").isTextual(), line.toString());
      }
    }
    assertTrue(run.err().contains((inputLines - valid.size()) + " of " + inputLines + " lines failed; first at line 2"),
        run.err());
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
      data.append(MAPPER.writeValueAsString(Map.of("text", happy[i], "label", "joy"))).append('\n');
      data.append(MAPPER.writeValueAsString(Map.of("text", sad[i], "label", "gloom"))).append('\n');
    }
    Path train = Files.writeString(dir.resolve("moods.jsonl"), data);
    Path head = dir.resolve("mood-head");
    Path again = dir.resolve("mood-head-again");
    Run first = exec(environment -> { }, "", "train-head", "--train", train.toString(), "--head", "softmax",
        "--validation-split", "0.2", "--out", head.toString());
    assertEquals(0, first.status(), first.err());
    assertTrue(first.out().contains("softmax baseline"), first.out());
    assertTrue(first.err().contains("warning: validation on only 2 sentences"), first.err());
    Run overwrite = exec(environment -> { }, "", "train-head", "--train", train.toString(), "--out", head.toString());
    assertEquals(2, overwrite.status(), "an existing head is kept without --force");
    assertTrue(overwrite.err().contains("pass --force"), overwrite.err());
    execute("", "train-head", "--train", train.toString(), "--head", "softmax", "--validation-split", "0.2", "--out",
        again.toString());
    assertEquals(
        Arrays.toString(Files.readAllBytes(head.resolve("head.safetensors"))),
        Arrays.toString(Files.readAllBytes(again.resolve("head.safetensors"))),
        "training twice gives bit-identical weights");

    Path config =
        Files.writeString(
            dir.resolve("moods.yaml"),
            "task: text-classification\nhead:\n  type: trained\n  path: " + head + "\ntop_k: all\n");
    List<JsonNode> out = run("\"such a lovely, wonderful day\"\n", "pipeline", "--config", config.toString());
    assertEquals("joy", out.get(0).get(0).get("label").asText());
    assertEquals(2, out.get(0).size());
  }

  /** Equal JSON, but for numbers with a fraction, which may differ by 1e-4. */
  static void assertSameJson(JsonNode expected, JsonNode actual, String where) {
    if (expected.isFloatingPointNumber()) {
      assertTrue(actual.isNumber(), where + ": expected a number, got " + actual);
      assertEquals(expected.asDouble(), actual.asDouble(), 1e-4, where);
    } else if (expected.isContainerNode()) {
      assertEquals(expected.getNodeType(), actual.getNodeType(), where);
      assertEquals(keys(expected), keys(actual), where + ": keys");
      assertEquals(expected.size(), actual.size(), where + ": size");
      for (int i = 0; i < expected.size(); i++) {
        String key = expected.isObject() ? keys(expected).get(i) : null;
        assertSameJson(key == null ? expected.get(i) : expected.get(key), key == null ? actual.get(i)
            : actual.get(key), where + (key == null ? "[" + i + "]" : "." + key));
      }
    } else {
      assertEquals(expected, actual, where);
    }
  }

  /** An object's keys in order (none for an array). */
  private static List<String> keys(JsonNode node) {
    List<String> keys = new ArrayList<>();
    node.fieldNames().forEachRemaining(keys::add);
    return keys;
  }

  static Path shared(String relative) {
    Path path = Path.of(System.getProperty("jtransformers.shared", "../shared")).resolve(relative);
    assumeTrue(Files.exists(path), "../shared absent (" + path + " not found): skipping a test that needs it");
    return path;
  }

  static List<JsonNode> run(String stdin, String... args) throws IOException, InterruptedException {
    return lines(execute(stdin, args));
  }

  /** Runs the jar, expecting some lines to fail: exit status 3 and a summary on stderr. */
  static List<JsonNode> runWithFailedLines(String stdin, String... args)
      throws IOException, InterruptedException {
    Run run = exec(environment -> { }, stdin, args);
    assertEquals(3, run.status(), "exit status when lines failed; stderr: " + run.err());
    assertTrue(run.err().contains("lines failed; first at line"), run.err());
    return lines(run.out());
  }

  /** Runs the jar with these arguments and input, expects success, and returns its standard output. */
  private static String execute(String stdin, String... args) throws IOException, InterruptedException {
    return execute(environment -> { }, stdin, args);
  }

  /** Runs the jar in an environment changed by {@code environment}, expects success, and returns its output. */
  private static String execute(Consumer<Map<String, String>> environment, String stdin, String... args)
      throws IOException, InterruptedException {
    Run run = exec(environment, stdin, args);
    assertEquals(0, run.status(), "exit status of " + List.of(args) + "; stderr: " + run.err());
    return run.out();
  }

  /** A finished run of the jar. */
  private record Run(int status, String out, String err) {}

  private static Run exec(Consumer<Map<String, String>> environment, String stdin, String... args)
      throws IOException, InterruptedException {
    return exec(environment, stdin.getBytes(StandardCharsets.UTF_8), args);
  }

  private static Run exec(Consumer<Map<String, String>> environment, byte[] stdin, String... args)
      throws IOException, InterruptedException {
    Process process = start(environment, args);
    process.getOutputStream().write(stdin);
    process.getOutputStream().close();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(2, TimeUnit.MINUTES), "the command finished");
    String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Run(process.exitValue(), out, err);
  }

  /** Starts the jar as users do: {@code java -jar target/jtransformers.jar ARGS}. */
  private static Process start(Consumer<Map<String, String>> environment, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    System.getProperties().stringPropertyNames().stream()
        .filter(k -> k.startsWith("jtransformers."))
        .forEach(k -> command.add("-D" + k + "=" + System.getProperty(k)));
    command.add("-jar");
    command.add(Path.of("target", "jtransformers.jar").toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    environment.accept(builder.environment());
    return builder.start();
  }

  static List<JsonNode> lines(String text) throws IOException {
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
