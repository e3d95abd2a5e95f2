package dev.jtransformers.finetuning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jtransformers.api.ModelLoadException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Token-classification data: JSON Lines of {@code {"tokens": [words...], "tags": [labels...]}} (one label per
 * word; {@code ner_tags} or {@code labels} are read too), as Hugging Face data sets such as CoNLL-2003 hold it.
 *
 * @param sentences each sentence's words
 * @param tags each word's label, the same shape
 */
public record TaggedData(List<List<String>> sentences, List<List<String>> tags) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public TaggedData {
    sentences = sentences.stream().map(List::copyOf).toList();
    tags = tags.stream().map(List::copyOf).toList();
    if (sentences.size() != tags.size()) {
      throw new IllegalArgumentException(sentences.size() + " sentences but " + tags.size() + " tag lists");
    }
  }

  /**
   * Reads a {@code .jsonl} file.
   *
   * @throws ModelLoadException naming the file and line, if it is missing or malformed
   */
  public static TaggedData load(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ModelLoadException("tagged data " + file + " does not exist");
    } catch (IOException e) {
      throw new ModelLoadException("cannot read tagged data " + file + ": " + e.getMessage(), e);
    }
    List<List<String>> sentences = new ArrayList<>();
    List<List<String>> tags = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) {
        continue;
      }
      String where = file + " line " + (i + 1);
      JsonNode row;
      try {
        row = JSON.readTree(lines.get(i));
      } catch (IOException e) {
        throw new ModelLoadException(where + " is not JSON: " + e.getMessage(), e);
      }
      JsonNode words = row.path("tokens");
      JsonNode labels = row.has("tags") ? row.get("tags") : row.has("ner_tags") ? row.get("ner_tags") : row.path("labels");
      if (!words.isArray() || !labels.isArray() || words.size() != labels.size() || words.isEmpty()) {
        throw new ModelLoadException(where + ": needs \"tokens\" and \"tags\", arrays of one length, not empty");
      }
      sentences.add(texts(words));
      tags.add(texts(labels));
    }
    if (sentences.isEmpty()) {
      throw new ModelLoadException("tagged data " + file + " holds no sentences");
    }
    return new TaggedData(sentences, tags);
  }

  private static List<String> texts(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(value -> values.add(value.asText()));
    return values;
  }

  /** The distinct labels, in order of first appearance. */
  public List<String> labelNames() {
    Set<String> names = new LinkedHashSet<>();
    tags.forEach(names::addAll);
    return List.copyOf(names);
  }
}
