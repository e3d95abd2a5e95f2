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
import java.util.function.Function;

/**
 * The commands' input format: one JSON value per line, read into an input by the task's own JSON form (a string, or
 * {@code {"text": …, "text_pair": …}} for text tasks). A line that isn't an input becomes an error at its position,
 * so output lines stay aligned with input lines.
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

  /**
   * Reads every line of a UTF-8 stream, and closes it.
   *
   * @param inputs reads an input from a line's JSON value, throwing {@link IllegalArgumentException} if it is none
   */
  static List<Line> read(InputStream in, Function<JsonNode, TextInput> inputs) {
    List<Line> lines = new ArrayList<>();
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String text;
      while ((text = reader.readLine()) != null) {
        lines.add(parse(lines.size() + 1, text, inputs));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read input", e);
    }
    return lines;
  }

  static Line parse(int number, String line, Function<JsonNode, TextInput> inputs) {
    JsonNode node;
    try {
      node = MAPPER.readTree(line);
    } catch (JsonProcessingException e) {
      return new Line(number, null, "invalid JSON: " + e.getOriginalMessage());
    }
    try {
      return new Line(number, inputs.apply(node == null ? MAPPER.missingNode() : node), null);
    } catch (IllegalArgumentException e) {
      return new Line(number, null, e.getMessage());
    }
  }
}
