package dev.jtransformers.pipelines;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The fixtures in {@code ../shared}; tests that need them are skipped, saying so, on a fresh clone without it. */
final class SharedFixtures {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private SharedFixtures() {}

  /** A path inside {@code ../shared}, or a skipped test when the folder is absent. */
  static Path require(String relative) {
    String root = System.getProperty("jtransformers.shared", "../shared");
    Path path = Path.of(root).resolve(relative);
    assumeTrue(Files.exists(path), "../shared absent (" + path + " not found): skipping a test that needs it");
    return path;
  }

  /** Every line of a JSON Lines file. */
  static List<JsonNode> jsonLines(Path file) {
    try {
      List<JsonNode> rows = new ArrayList<>();
      for (String line : Files.readAllLines(file)) {
        if (!line.isBlank()) {
          rows.add(MAPPER.readTree(line));
        }
      }
      return rows;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static float[] floats(JsonNode array) {
    float[] values = new float[array.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) array.get(i).asDouble();
    }
    return values;
  }
}
