package dev.jtransformers.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jtransformers.api.ModelLoadException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * Typed access to the fields of one JSON object. A {@code null} value counts as absent, as it does for Hugging Face;
 * a value of the wrong type is a {@link ModelLoadException} that names the source and the key.
 */
final class JsonFields {
  private final ObjectNode node;
  private final String source;

  private JsonFields(ObjectNode node, String source) {
    this.node = node;
    this.source = source;
  }

  /**
   * The fields of {@code node}, which came from {@code source} (a file name, possibly with a path inside it).
   *
   * @throws ModelLoadException if the node is not a JSON object
   */
  static JsonFields of(JsonNode node, String source) {
    if (!(node instanceof ObjectNode object)) {
      throw new ModelLoadException(source + " must hold a JSON object, found " + describe(node));
    }
    return new JsonFields(object, source);
  }

  String source() {
    return source;
  }

  Optional<JsonNode> find(String key) {
    JsonNode value = node.get(key);
    return value == null || value.isNull() ? Optional.empty() : Optional.of(value);
  }

  Optional<String> string(String key) {
    return find(key).map(v -> require(v.isTextual(), key, "a string", v).textValue());
  }

  Optional<Boolean> bool(String key) {
    return find(key).map(v -> require(v.isBoolean(), key, "true or false", v).booleanValue());
  }

  OptionalInt integer(String key) {
    Optional<JsonNode> value = find(key);
    return value.isEmpty() ? OptionalInt.empty() : OptionalInt.of(toInt(key, value.get()));
  }

  /**
   * The integer under the first of {@code keys} present: the same setting goes by different names in different
   * architectures (BERT's {@code hidden_size} is DistilBERT's {@code dim}).
   */
  int requireInteger(String... keys) {
    for (String key : keys) {
      OptionalInt value = integer(key);
      if (value.isPresent()) {
        return value.getAsInt();
      }
    }
    String missing = keys.length == 1 ? "no '" + keys[0] + "'" : "none of " + Arrays.toString(keys);
    throw new ModelLoadException(source + " has " + missing);
  }

  OptionalDouble number(String key) {
    Optional<JsonNode> value = find(key);
    return value.isEmpty()
        ? OptionalDouble.empty()
        : OptionalDouble.of(require(value.get().isNumber(), key, "a number", value.get()).doubleValue());
  }

  /** The strings of an array; an absent key gives an empty list. */
  List<String> strings(String key) {
    Optional<JsonNode> value = find(key);
    if (value.isEmpty()) {
      return List.of();
    }
    JsonNode array = require(value.get().isArray(), key, "an array of strings", value.get());
    List<String> result = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      JsonNode element = array.get(i);
      result.add(require(element.isTextual(), key + "[" + i + "]", "a string", element).textValue());
    }
    return List.copyOf(result);
  }

  /** The members of an object, in file order; an absent key gives an empty map. */
  Map<String, JsonNode> members(String key) {
    Optional<JsonNode> value = find(key);
    if (value.isEmpty()) {
      return Map.of();
    }
    JsonNode object = require(value.get().isObject(), key, "an object", value.get());
    Map<String, JsonNode> result = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> member = it.next();
      result.put(member.getKey(), member.getValue());
    }
    return result;
  }

  /** The value of {@code key}, which must be an integer that fits an {@code int}. */
  int toInt(String key, JsonNode value) {
    return require(value.isIntegralNumber() && value.canConvertToInt(), key, "an integer", value).intValue();
  }

  /** An error about the value of {@code key}, naming the source. */
  ModelLoadException invalid(String key, String problem) {
    return new ModelLoadException(source + ": '" + key + "' " + problem);
  }

  private JsonNode require(boolean ok, String key, String expected, JsonNode actual) {
    if (!ok) {
      throw invalid(key, "must be " + expected + ", found " + describe(actual));
    }
    return actual;
  }

  private static String describe(JsonNode node) {
    String text = node.toString();
    return text.length() > 60 ? text.substring(0, 57) + "..." : text;
  }
}
