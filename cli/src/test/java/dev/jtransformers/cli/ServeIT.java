package dev.jtransformers.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code java -jar target/jtransformers.jar serve}, as users run it, driven over loopback. */
class ServeIT {
  private static final Pattern SERVING = Pattern.compile("serving on (http://127\\.0\\.0\\.1:\\d+)");

  @Test
  void servesTheDefaultEmbeddingModelAndStopsOnSigterm() throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    System.getProperties().stringPropertyNames().stream()
        .filter(k -> k.startsWith("jtransformers."))
        .forEach(k -> command.add("-D" + k + "=" + System.getProperty(k)));
    command.addAll(List.of("-jar", Path.of("target", "jtransformers.jar").toString(), "serve", "--task",
        "feature-extraction", "--port", "0"));
    Path log = Files.createTempFile("serve", ".log");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      String base = null;
      for (long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1); base == null && process.isAlive()
          && System.nanoTime() < deadline; Thread.sleep(100)) {
        Matcher serving = SERVING.matcher(Files.readString(log));
        base = serving.find() ? serving.group(1) : null;
      }
      assertNotNull(base, "the server said where it serves:\n" + Files.readString(log));

      HttpClient client = HttpClient.newHttpClient();
      HttpResponse<String> embed = client.send(HttpRequest.newBuilder(URI.create(base
          + "/models/sentence-transformers/all-MiniLM-L6-v2")).POST(HttpRequest.BodyPublishers.ofString(
              "{\"inputs\": \"I love this\"}")).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, embed.statusCode(), embed.body());
      JsonNode vector = new ObjectMapper().readTree(embed.body()).get("embedding");
      assertEquals(384, vector.size());
      HttpResponse<String> health = client.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, health.statusCode());
    } finally {
      process.destroy();
      assertTrue(process.waitFor(1, TimeUnit.MINUTES), "serve stops on SIGTERM");
      assertTrue(Files.readString(log).contains("stopped"), "and shuts down gracefully");
      Files.delete(log);
    }
  }
}
