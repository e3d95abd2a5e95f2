package dev.jtransformers.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts between Jackson trees and plain Java values — maps, lists, strings, booleans, JDK numbers and {@code
 * null} — the form {@link dev.jtransformers.spi.LoadRequest#config()} carries a configuration in. Numbers keep their
 * width ({@code 2} is an {@link Integer}, {@code 1e-12} a {@link Double}), so a tree converted there and back is
 * equal to the original.
 */
final class JsonValues {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private JsonValues() {}

  /** The object as an unmodifiable map in field order; nested objects and arrays are unmodifiable too. */
  static Map<String, Object> toMap(ObjectNode object) {
    Map<String, Object> map = new LinkedHashMap<>();
    object.fields().forEachRemaining(field -> map.put(field.getKey(), toValue(field.getValue())));
    return Collections.unmodifiableMap(map);
  }

  private static Object toValue(JsonNode node) {
    if (node instanceof ObjectNode object) {
      return toMap(object);
    }
    if (node instanceof ArrayNode array) {
      List<Object> list = new ArrayList<>(array.size());
      array.forEach(element -> list.add(toValue(element)));
      return Collections.unmodifiableList(list);
    }
    if (node.isTextual()) {
      return node.textValue();
    }
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    if (node.isNumber()) {
      return node.numberValue();
    }
    if (node.isNull()) {
      return null;
    }
    throw new IllegalArgumentException("a JSON configuration holds no " + node.getNodeType() + " values");
  }

  /**
   * The map as a JSON object.
   *
   * @param path names the map in messages, e.g. {@code config.json}
   * @throws IllegalArgumentException naming the key, for a value that is not plain JSON
   */
  static ObjectNode toTree(Map<?, ?> map, String path) {
    ObjectNode object = NODES.objectNode();
    map.forEach(
        (key, value) -> {
          if (!(key instanceof String name)) {
            throw new IllegalArgumentException(path + " has a key that is not a string: " + key);
          }
          object.set(name, toNode(value, path + "." + name));
        });
    return object;
  }

  private static JsonNode toNode(Object value, String path) {
    if (value == null) {
      return NODES.nullNode();
    }
    if (value instanceof Map<?, ?> map) {
      return toTree(map, path);
    }
    if (value instanceof List<?> list) {
      ArrayNode array = NODES.arrayNode(list.size());
      for (int i = 0; i < list.size(); i++) {
        array.add(toNode(list.get(i), path + "[" + i + "]"));
      }
      return array;
    }
    if (value instanceof String text) {
      return NODES.textNode(text);
    }
    if (value instanceof Boolean bool) {
      return NODES.booleanNode(bool);
    }
    // Each as the node Jackson's parser makes for it, so converted trees equal parsed ones.
    if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return NODES.numberNode(((Number) value).intValue());
    }
    if (value instanceof Long number) {
      return NODES.numberNode(number);
    }
    if (value instanceof Double || value instanceof Float) {
      return NODES.numberNode(((Number) value).doubleValue());
    }
    if (value instanceof BigInteger number) {
      return NODES.numberNode(number);
    }
    if (value instanceof BigDecimal number) {
      return NODES.numberNode(number);
    }
    throw new IllegalArgumentException(
        path + " is a " + value.getClass().getName() + "; a JSON configuration holds strings, booleans, numbers,"
            + " null, lists and maps only");
  }
}
