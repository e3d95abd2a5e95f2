package dev.jtransformers.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Reading request bodies: each mistake is an {@link ApiException} that names the field. */
final class JsonBodies {
  static final ObjectMapper MAPPER =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private JsonBodies() {}

  /**
   * A body as JSON.
   *
   * @throws ApiException 400 if it is empty or not JSON
   */
  static JsonNode parse(byte[] body) {
    if (body.length == 0) {
      throw ApiException.malformed("the request has no body; send JSON");
    }
    try {
      return MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      throw ApiException.malformed("malformed JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw ApiException.malformed("unreadable body: " + e.getMessage());
    }
  }

  /**
   * A body that must be a JSON object with only the given fields.
   *
   * @throws ApiException 400 if it is not JSON, 422 if it is not an object or has another field
   */
  static ObjectNode object(byte[] body, Set<String> fields) {
    JsonNode json = parse(body);
    if (!json.isObject()) {
      throw ApiException.invalid("the body must be a JSON object with the fields " + fields + ", got " + kind(json));
    }
    for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!fields.contains(name)) {
        throw ApiException.invalid("unknown field \"" + name + "\"; the fields are " + fields);
      }
    }
    return (ObjectNode) json;
  }

  /**
   * A boolean field.
   *
   * @throws ApiException 422 if present and not a boolean
   */
  static boolean flag(ObjectNode body, String field, boolean defaultValue) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return defaultValue;
    }
    if (!value.isBoolean()) {
      throw ApiException.invalid("\"" + field + "\" must be true or false, got " + value);
    }
    return value.booleanValue();
  }

  /**
   * An optional string field.
   *
   * @throws ApiException 422 if present and not a string
   */
  static Optional<String> text(ObjectNode body, String field) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isTextual()) {
      throw ApiException.invalid("\"" + field + "\" must be a string, got " + kind(value));
    }
    return Optional.of(value.textValue());
  }

  /**
   * A required field that is one string or a list of strings.
   *
   * @throws ApiException 422 if missing or of another type, 400 if an empty list
   */
  static List<String> texts(ObjectNode body, String field) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      throw ApiException.invalid("\"" + field + "\" is missing: give a string or a list of strings");
    }
    if (value.isTextual()) {
      return List.of(value.textValue());
    }
    if (!value.isArray()) {
      throw ApiException.invalid("\"" + field + "\" must be a string or a list of strings, got " + kind(value));
    }
    if (value.isEmpty()) {
      throw ApiException.empty("\"" + field + "\" is an empty list");
    }
    List<String> texts = new ArrayList<>(value.size());
    for (int i = 0; i < value.size(); i++) {
      if (!value.get(i).isTextual()) {
        throw ApiException.invalid("\"" + field + "\"[" + i + "] must be a string, got " + kind(value.get(i)));
      }
      texts.add(value.get(i).textValue());
    }
    return texts;
  }

  /** A short description of a value for messages: its type, not its (maybe huge) content. */
  static String kind(JsonNode value) {
    return value.getNodeType().name().toLowerCase(Locale.ROOT);
  }

  /** Fields that this server reads only with one value, e.g. {@code truncation_direction: right}. */
  static void requireAbsentOr(ObjectNode body, String field, Set<String> accepted, String why) {
    JsonNode value = body.get(field);
    if (value != null && !value.isNull() && !(value.isTextual() && accepted.contains(value.textValue()))) {
      throw ApiException.invalid("\"" + field + "\" " + value + " is not supported: " + why);
    }
  }
}
