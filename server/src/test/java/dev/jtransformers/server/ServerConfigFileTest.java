package dev.jtransformers.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtransformers.pipelines.PipelineConfigCodec;
import dev.jtransformers.pipelines.tasks.TextClassification;
import dev.jtransformers.pipelines.tasks.TopK;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerConfigFileTest {
  private final ServerConfigFile files = new ServerConfigFile(PipelineConfigCodec.fromServiceLoader());

  @Test
  void readsSettingsAndNamedPipelinesInOrder(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("server.yaml"), """
        port: 9000
        max_inputs: 8
        max_batch_tokens: 4096
        max_batch_requests: 1
        max_wait_ms: 5
        rerank_label: POSITIVE
        pipelines:
          sentiment: {task: sentiment-analysis, top_k: all}
          embed: {task: feature-extraction}
        """);
    ServerConfig config = files.load(file);
    assertEquals(ServerConfig.DEFAULT_HOST, config.host());
    assertEquals(9000, config.port());
    assertEquals(8, config.maxInputs());
    assertEquals(new BatchingSettings(4096, 1, Duration.ofMillis(5), BatchingSettings.DEFAULT.maxQueue(),
        BatchingSettings.DEFAULT.requestTimeout()), config.batching());
    assertEquals(List.of("sentiment", "embed"), List.copyOf(config.pipelines().keySet()));
    assertEquals(TopK.ALL, config.pipelines().get("sentiment").options().get(TextClassification.TOP_K).orElseThrow());
    assertEquals("POSITIVE", config.rerankLabel().orElseThrow());
  }

  @Test
  void mistakesNameTheFileAndTheKey(@TempDir Path dir) throws IOException {
    Path unknown = Files.writeString(dir.resolve("a.yaml"), "colour: red\npipelines: {e: {task: feature-extraction}}\n");
    assertTrue(assertThrows(IllegalArgumentException.class, () -> files.load(unknown)).getMessage()
        .contains("a.yaml: unknown key \"colour\""));
    Path badTask = Files.writeString(dir.resolve("b.json"), "{\"pipelines\": {\"e\": {\"task\": \"nope\"}}}");
    assertTrue(assertThrows(IllegalArgumentException.class, () -> files.load(badTask)).getMessage()
        .contains("pipeline e: "));
    Path none = Files.writeString(dir.resolve("c.yaml"), "port: 1\n");
    assertTrue(assertThrows(IllegalArgumentException.class, () -> files.load(none)).getMessage()
        .contains("\"pipelines\""));
    Path wait = Files.writeString(dir.resolve("d.yaml"), "max_wait_ms: soon\npipelines: {e: {task: feature-extraction}}\n");
    assertTrue(assertThrows(IllegalArgumentException.class, () -> files.load(wait)).getMessage()
        .contains("\"max_wait_ms\" must be an integer"));
  }
}
