package dev.jtransformers.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.Function;

/**
 * The commands' input format: one JSON value per line, read by the command's own reader (a string, {@code {"text": …,
 * "text_pair": …}}, a task's request). A line that isn't valid becomes an error at its position, so output lines stay
 * aligned with input lines.
 */
final class JsonLines {
  static final ObjectMapper MAPPER = new ObjectMapper();

  /** One JSON value per line: anything after it on the line is an error, not silently dropped. */
  private static final ObjectReader LINE_READER =
      MAPPER.readerFor(JsonNode.class).with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

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

  static <T> Line<T> parse(int number, String line, Function<JsonNode, T> values) {
    JsonNode node;
    try {
      node = line.isBlank() ? null : LINE_READER.readValue(line);
    } catch (MismatchedInputException e) {
      return new Line<>(number, null, "more than one JSON value on this line: give one string or object per line");
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
