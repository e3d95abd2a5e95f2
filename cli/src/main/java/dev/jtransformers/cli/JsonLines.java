package dev.jtransformers.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jtransformers.api.TextInput;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The commands' input format: one JSON value per line, either a string (a text) or an object with {@code text}
 * and optionally {@code text_pair}. A line that is neither becomes an error at its position, so output lines stay
 * aligned with input lines.
 */
final class JsonLines {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private JsonLines() {}

  /**
   * One input line: a parsed input, or the reason it could not be parsed.
   *
   * @param number the 1-based line number
   */
  record Line(int number, TextInput input, String error) {
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

  /** Reads every line of a UTF-8 stream, and closes it. */
  static List<Line> read(InputStream in) {
    List<Line> lines = new ArrayList<>();
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String text;
      while ((text = reader.readLine()) != null) {
        lines.add(parse(lines.size() + 1, text));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read input", e);
    }
    return lines;
  }

  static Line parse(int number, String line) {
    JsonNode node;
    try {
      node = MAPPER.readTree(line);
    } catch (JsonProcessingException e) {
      return new Line(number, null, "invalid JSON: " + e.getOriginalMessage());
    }
    if (node == null || node.isMissingNode()) {
      return new Line(number, null, "empty line: expected a JSON string or {\"text\": ..., \"text_pair\": ...}");
    }
    if (node.isTextual()) {
      return new Line(number, TextInput.of(node.textValue()), null);
    }
    if (node.isObject()) {
      JsonNode text = node.get("text");
      JsonNode pair = node.get("text_pair");
      if (text == null || !text.isTextual()) {
        return new Line(number, null, "\"text\" must be a string");
      }
      if (pair != null && !pair.isNull() && !pair.isTextual()) {
        return new Line(number, null, "\"text_pair\" must be a string");
      }
      String second = pair == null || pair.isNull() ? null : pair.textValue();
      return new Line(number, new TextInput(text.textValue(), second), null);
    }
    return new Line(number, null, "expected a JSON string or {\"text\": ..., \"text_pair\": ...}, got " + node);
  }
}
