package dev.jtransformers.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The commands' input format: one JSON value per line, read by the command's own reader (a string, {@code {"text": …,
 * "text_pair": …}}, a task's request). A line that isn't valid becomes an error at its position, so output lines stay
 * aligned with input lines.
 */
final class JsonLines {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private JsonLines() {}

  /**
   * One input line: its parsed value, or the reason it could not be parsed.
   *
   * @param number the 1-based line number
   * @param <T> what a line is read into
   */
  record Line<T>(int number, T input, String error) {
    boolean ok() {
      return input != null;
    }

    /** The {@code {"error": …, "line": N}} object reported in place of a result. */
    ObjectNode errorJson() {
      return errorJson(number, error);
    }

    static ObjectNode errorJson(int number, String message) {
      ObjectNode node = MAPPER.createObjectNode();
      node.put("error", message);
      node.put("line", number);
      return node;
    }
  }

  /**
   * Reads every line of a UTF-8 stream, and closes it.
   *
   * @param values reads a line's JSON value, throwing {@link IllegalArgumentException} saying why it is not valid
   */
  static <T> List<Line<T>> read(InputStream in, Function<JsonNode, T> values) {
    List<Line<T>> lines = new ArrayList<>();
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String text;
      while ((text = reader.readLine()) != null) {
        lines.add(parse(lines.size() + 1, text, values));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read input", e);
    }
    return lines;
  }

  static <T> Line<T> parse(int number, String line, Function<JsonNode, T> values) {
    JsonNode node;
    try {
      node = MAPPER.readTree(line);
    } catch (JsonProcessingException e) {
      return new Line<>(number, null, "not JSON: each line must be a JSON string or object, e.g. \"I love this\" or"
          + " {\"text\": \"I love this\"}");
    }
    try {
      return new Line<>(number, values.apply(node == null ? MAPPER.missingNode() : node), null);
    } catch (IllegalArgumentException e) {
      return new Line<>(number, null, e.getMessage());
    }
  }
}
