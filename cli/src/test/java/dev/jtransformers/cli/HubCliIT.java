package dev.jtransformers.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jtransformers.hub.FakeHub;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hub id on the command line, as users run it: {@code ../shared/models/minilm-l6-sst2} served as {@code
 * acme/minilm-sst2} by a loopback hub, downloaded into an empty {@code HF_HOME}, then used again offline with the
 * server gone.
 */
class HubCliIT {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String COMMIT = "5d2a1e3f4b6c7d8e9f00112233445566778899aa";
  private static final String TEXTS = "\"I've been waiting for a HuggingFace course my whole life.\"\n\"I hate this so much!\"\n";

  @TempDir Path hfHome;

  @Test
  void sentimentOnAHubIdDownloadsOnlyWhatTheBackendReadsThenRunsOffline() throws Exception {
    Path model = Path.of(System.getProperty("jtransformers.shared", "../shared")).resolve("models/minilm-l6-sst2");
    assumeTrue(Files.isDirectory(model), "../shared absent (" + model + " not found): skipping a test that needs it");

    try (FakeHub hub = FakeHub.serve("acme/minilm-sst2", COMMIT, model)) {
      List<JsonNode> online = run(Map.of("HF_ENDPOINT", hub.endpoint().toString()),
          "pipeline", "sentiment-analysis", "--model", "acme/minilm-sst2");
      assertSentiment(online);
      assertEquals(List.of("config.json", "tokenizer.json", "tokenizer_config.json", "onnx/model.onnx"),
          hub.downloads(), "no safetensors weights, references or metrics");
    }

    Path repository = hfHome.resolve("hub/models--acme--minilm-sst2");
    assertEquals(COMMIT, Files.readString(repository.resolve("refs/main")));
    Path onnx = repository.resolve("snapshots").resolve(COMMIT).resolve("onnx/model.onnx");
    assertTrue(Files.isSymbolicLink(onnx));
    assertTrue(Files.readSymbolicLink(onnx).toString().startsWith("../../../blobs/"));

    assertSentiment(run(Map.of("HF_HUB_OFFLINE", "1"), "pipeline", "sentiment-analysis", "--model",
        "acme/minilm-sst2@main"));
    List<JsonNode> tokens = run(Map.of("HF_HUB_OFFLINE", "1"), "tokenize", "--tokenizer", "acme/minilm-sst2");
    assertEquals(16, tokens.get(0).get("input_ids").size());
  }

  private static void assertSentiment(List<JsonNode> out) {
    assertEquals(2, out.size());
    assertEquals("POSITIVE", out.get(0).get(0).get("label").asText());
    assertEquals("NEGATIVE", out.get(1).get(0).get("label").asText());
  }

  /** Runs the jar with the course's two sentences as input, in an environment with this test's {@code HF_HOME}. */
  private List<JsonNode> run(Map<String, String> environment, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    System.getProperties().stringPropertyNames().stream()
        .filter(k -> k.startsWith("jtransformers."))
        .forEach(k -> command.add("-D" + k + "=" + System.getProperty(k)));
    command.addAll(List.of("-jar", Path.of("target", "jtransformers.jar").toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
    builder.environment().remove("HF_HUB_OFFLINE");
    builder.environment().put("HF_HOME", hfHome.toString());
    builder.environment().putAll(environment);
    Process process = builder.start();
    process.getOutputStream().write(TEXTS.getBytes(StandardCharsets.UTF_8));
    process.getOutputStream().close();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(2, TimeUnit.MINUTES), "the command finished");
    assertEquals(0, process.exitValue(), "exit status of " + command);
    List<JsonNode> lines = new ArrayList<>();
    for (String line : out.split("\n")) {
      if (!line.isBlank()) {
        lines.add(MAPPER.readTree(line));
      }
    }
    return lines;
  }
}
