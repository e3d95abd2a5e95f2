package dev.jtransformers.pipelines.spi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jtransformers.api.TextInput;

/** The usual JSON form of a {@link TextInput}: a string, or {@code {"text": …, "text_pair": …}}. */
public final class TextInputJson {
  private static final String EXPECTED = "expected a JSON string or {\"text\": ..., \"text_pair\": ...}";

  private TextInputJson() {}

  /**
   * Reads an input.
   *
   * @throws IllegalArgumentException saying what was expected, if the value is neither form
   */
  public static TextInput read(JsonNode node) {
    if (node == null || node.isMissingNode()) {
      throw new IllegalArgumentException("empty line: " + EXPECTED);
    }
    if (node.isTextual()) {
      return TextInput.of(node.textValue());
    }
    if (!node.isObject()) {
      throw new IllegalArgumentException(EXPECTED + ", got " + node);
    }
    JsonNode text = node.get("text");
    JsonNode pair = node.get("text_pair");
    if (text == null) {
      throw new IllegalArgumentException("\"text\" is missing: " + EXPECTED);
    }
    if (!text.isTextual()) {
      throw new IllegalArgumentException("\"text\" must be a string");
    }
    if (pair != null && !pair.isNull() && !pair.isTextual()) {
      throw new IllegalArgumentException("\"text_pair\" must be a string");
    }
    return new TextInput(text.textValue(), pair == null || pair.isNull() ? null : pair.textValue());
  }

  /**
   * Reads an input of a task that takes a single text (a JSON string), as Python's token-classification and
   * fill-mask pipelines do.
   *
   * @throws IllegalArgumentException if the value is not a string
   */
  public static TextInput readText(JsonNode node) {
    if (node == null || !node.isTextual()) {
      throw new IllegalArgumentException("expected a JSON string, got " + node);
    }
    return TextInput.of(node.textValue());
  }
}
