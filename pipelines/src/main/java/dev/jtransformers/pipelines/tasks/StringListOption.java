package dev.jtransformers.pipelines.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.jtransformers.pipelines.spi.TaskOption;
import java.util.ArrayList;
import java.util.List;

/** Options whose value is a list of strings, given as a JSON list or, for one entry, a string. */
final class StringListOption {
  private StringListOption() {}

  /**
   * An option read from {@code "word"} or {@code ["word", …]}.
   *
   * @param allowEmpty whether {@code []} is a valid value
   * @param defaultValue the value when unset, or {@code null} for none
   */
  static TaskOption<List<String>> of(String name, String description, boolean allowEmpty, List<String> defaultValue) {
    return TaskOption.of(name, description, node -> read(node, allowEmpty), StringListOption::write, defaultValue);
  }

  private static List<String> read(JsonNode node, boolean allowEmpty) {
    if (node.isTextual()) {
      return List.of(node.textValue());
    }
    List<String> values = new ArrayList<>();
    if (node.isArray()) {
      node.forEach(value -> values.add(value.isTextual() ? value.textValue() : null));
    }
    if (!node.isArray() || values.contains(null) || values.isEmpty() && !allowEmpty) {
      throw new IllegalArgumentException(
          "must be a string or a" + (allowEmpty ? "" : " non-empty") + " list of strings, got " + node);
    }
    return List.copyOf(values);
  }

  private static JsonNode write(List<String> values) {
    ArrayNode array = JsonNodeFactory.instance.arrayNode();
    values.forEach(array::add);
    return array;
  }
}
