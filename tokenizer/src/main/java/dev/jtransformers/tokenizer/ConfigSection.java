package dev.jtransformers.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One JSON object of a tokenizer's files — a component's section of {@code tokenizer.json}, or a whole file — with
 * where it is, so that every error names the file and the section ({@code tokenizer.json (normalizer)}). The
 * readers check types: a missing required option, or an option of the wrong JSON type, is a
 * {@link TokenizerConfigException}; a {@code null} value counts as missing, as in Hugging Face.
 *
 * <p>Immutable. Nested components are built through the same registry as the section's own.
 */
public final class ConfigSection {
  private final JsonNode node;
  private final String source;
  private final String path;
  private final TokenizerComponents components;

  private ConfigSection(JsonNode node, String source, String path, TokenizerComponents components) {
    this.node = node;
    this.source = source;
    this.path = path;
    this.components = components;
  }

  /**
   * A whole file's top level.
   *
   * @param source the file, as messages name it
   * @throws TokenizerConfigException if it is not a JSON object
   */
  static ConfigSection root(JsonNode node, String source, TokenizerComponents components) {
    ConfigSection root = new ConfigSection(node, source, "", components);
    if (node == null || !node.isObject()) {
      throw root.error("the top level must be a JSON object");
    }
    return root;
  }

  /** The file this section is part of. */
  public String source() {
    return source;
  }

  /** Where in the file it is, e.g. {@code normalizer.normalizers[1]}; empty for the top level. */
  public String path() {
    return path;
  }

  /** Whether the option is present and not {@code null}. */
  public boolean has(String field) {
    JsonNode value = node.get(field);
    return value != null && !value.isNull();
  }

  /** A required option's raw JSON, for shapes the typed readers do not cover. */
  public JsonNode value(String field) {
    if (!has(field)) {
      throw error("missing \"" + field + "\"");
    }
    return node.get(field);
  }

  /** A required string option. */
  public String string(String field) {
    return textOf(field, value(field));
  }

  /** A string option, or {@code fallback} when it is missing. */
  public String string(String field, String fallback) {
    return has(field) ? string(field) : fallback;
  }

  /** A required integer option. */
  public int integer(String field) {
    JsonNode value = value(field);
    if (!value.canConvertToInt()) {
      throw error("\"" + field + "\" must be an integer");
    }
    return value.asInt();
  }

  /** An integer option, or {@code fallback} when it is missing. */
  public int integer(String field, int fallback) {
    return has(field) ? integer(field) : fallback;
  }

  /** A boolean option, or {@code fallback} when it is missing. */
  public boolean bool(String field, boolean fallback) {
    return optionalBool(field).orElse(fallback);
  }

  /** A boolean option that may be left unset (e.g. BertNormalizer's {@code strip_accents}). */
  public Optional<Boolean> optionalBool(String field) {
    if (!has(field)) {
      return Optional.empty();
    }
    JsonNode value = node.get(field);
    if (!value.isBoolean()) {
      throw error("\"" + field + "\" must be true or false");
    }
    return Optional.of(value.asBoolean());
  }

  /** A required array of strings. */
  public List<String> strings(String field) {
    List<String> strings = new ArrayList<>();
    for (JsonNode item : array(field)) {
      strings.add(textOf(field, item));
    }
    return strings;
  }

  /** A required array of integers. */
  public int[] integers(String field) {
    JsonNode array = array(field);
    int[] values = new int[array.size()];
    for (int i = 0; i < values.length; i++) {
      if (!array.get(i).canConvertToInt()) {
        throw error("\"" + field + "\" must hold integers");
      }
      values[i] = array.get(i).asInt();
    }
    return values;
  }

  /** A required nested object. */
  public ConfigSection section(String field) {
    return child(value(field), path.isEmpty() ? field : path + "." + field, "\"" + field + "\"");
  }

  /** A nested object that may be missing. */
  public Optional<ConfigSection> optionalSection(String field) {
    return has(field) ? Optional.of(section(field)) : Optional.empty();
  }

  /** A required array of objects. */
  public List<ConfigSection> sections(String field) {
    JsonNode array = array(field);
    String prefix = path.isEmpty() ? field : path + "." + field;
    List<ConfigSection> sections = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      sections.add(child(array.get(i), prefix + "[" + i + "]", "each of \"" + field + "\""));
    }
    return sections;
  }

  /** The names of the options present, in file order. */
  public List<String> fieldNames() {
    List<String> names = new ArrayList<>(node.size());
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  /**
   * This section as a component of {@code stage}, built by the factory of its {@code "type"}.
   *
   * @throws UnknownComponentException if no factory builds that type
   */
  public <T> T component(Stage<T> stage) {
    return components.create(stage, string("type"), this);
  }

  /** A required array of nested components of {@code stage}, as a {@code Sequence} holds them. */
  public <T> List<T> components(String field, Stage<T> stage) {
    List<T> built = new ArrayList<>();
    for (ConfigSection section : sections(field)) {
      built.add(section.component(stage));
    }
    return built;
  }

  /** An error in this section, its message prefixed with the file and the section. */
  public TokenizerConfigException error(String message) {
    return error(message, null);
  }

  TokenizerConfigException error(String message, Throwable cause) {
    return new TokenizerConfigException(where() + message, cause);
  }

  /** The prefix of messages about this section: {@code "tokenizer.json (normalizer): "}. */
  String where() {
    return source + (path.isEmpty() ? "" : " (" + path + ")") + ": ";
  }

  private ConfigSection child(JsonNode value, String childPath, String what) {
    if (!value.isObject()) {
      throw error(what + " must be a JSON object");
    }
    return new ConfigSection(value, source, childPath, components);
  }

  private JsonNode array(String field) {
    JsonNode array = value(field);
    if (!array.isArray()) {
      throw error("\"" + field + "\" must be an array");
    }
    return array;
  }

  private String textOf(String field, JsonNode value) {
    if (!value.isTextual()) {
      throw error("\"" + field + "\" must be a string");
    }
    return value.asText();
  }
}
