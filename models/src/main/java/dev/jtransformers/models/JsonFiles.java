package dev.jtransformers.models;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jtransformers.api.ModelLoadException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads and writes the JSON files of a model directory (and of heads and adapters beside it), turning every failure
 * into an error that names the file.
 */
public final class JsonFiles {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** Indented like Python's {@code json.dumps(indent=2)}, which Hugging Face uses, with {@code \n} line ends. */
  private static final ObjectWriter WRITER =
      MAPPER.writer(
          new DefaultPrettyPrinter()
              .withSeparators(
                  Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER))
              .withObjectIndenter(new DefaultIndenter("  ", "\n"))
              .withArrayIndenter(new DefaultIndenter("  ", "\n")));

  private JsonFiles() {}

  /**
   * Parses a JSON file.
   *
   * @throws ModelLoadException naming the file, if it is missing, unreadable or not valid JSON
   */
  public static JsonNode read(Path file) {
    try {
      return parse(Files.readString(file), file.toString());
    } catch (NoSuchFileException e) {
      throw new ModelLoadException(file + " does not exist", e);
    } catch (IOException e) {
      throw new ModelLoadException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Parses JSON text that came from {@code source}.
   *
   * @throws ModelLoadException naming the source, if the text is not valid JSON
   */
  public static JsonNode parse(String json, String source) {
    try {
      JsonNode node = MAPPER.readTree(json);
      if (node == null || node.isMissingNode()) {
        throw new ModelLoadException(source + " is empty");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new ModelLoadException(source + " is not valid JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** The tree as indented JSON text ending in a newline. */
  public static String format(JsonNode node) {
    try {
      return WRITER.writeValueAsString(node) + "\n";
    } catch (JsonProcessingException e) {
      // A tree built by Jackson always serialises; anything else is a bug.
      throw new IllegalStateException("cannot serialise a JSON tree", e);
    }
  }

  /** An empty JSON object to build on. */
  public static ObjectNode newObject() {
    return MAPPER.createObjectNode();
  }
}
