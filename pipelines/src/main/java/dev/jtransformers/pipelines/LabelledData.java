package dev.jtransformers.pipelines;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jtransformers.api.ModelLoadException;
import dev.jtransformers.api.TextInput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Texts (or pairs) with their labels, for training a head: read from a TSV file with a header naming the columns
 * {@code text}, {@code label} and optionally {@code text_pair} (the GLUE layout), or from JSON Lines of {@code
 * {"text": …, "label": …, "text_pair": …}}. Labels are kept as written; {@link #labelNames()} orders them.
 *
 * @param inputs the texts, in file order
 * @param labels the label of each input, as written in the file
 */
public record LabelledData(List<TextInput> inputs, List<String> labels) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public LabelledData {
    inputs = List.copyOf(inputs);
    labels = List.copyOf(labels);
    if (inputs.size() != labels.size()) {
      throw new IllegalArgumentException(inputs.size() + " inputs but " + labels.size() + " labels");
    }
  }

  /**
   * Reads a {@code .tsv} or {@code .jsonl}/{@code .json} file.
   *
   * @throws ModelLoadException naming the file and line, if it is missing or malformed
   */
  public static LabelledData load(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ModelLoadException("labelled data " + file + " does not exist");
    } catch (IOException e) {
      throw new ModelLoadException("cannot read labelled data " + file + ": " + e.getMessage(), e);
    }
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    LabelledData data = name.endsWith(".tsv") ? fromTsv(file, lines) : fromJsonLines(file, lines);
    if (data.inputs.isEmpty()) {
      throw new ModelLoadException("labelled data " + file + " holds no examples");
    }
    return data;
  }

  private static LabelledData fromTsv(Path file, List<String> lines) {
    if (lines.isEmpty()) {
      throw new ModelLoadException(file + " is empty; expected a header with the columns text and label");
    }
    List<String> header = Arrays.asList(lines.get(0).split("\t", -1));
    int text = column(file, header, "text", true);
    int label = column(file, header, "label", true);
    int pair = column(file, header, "text_pair", false);
    List<TextInput> inputs = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    for (int i = 1; i < lines.size(); i++) {
      if (lines.get(i).isEmpty()) {
        continue;
      }
      String[] cells = lines.get(i).split("\t", -1);
      if (cells.length != header.size()) {
        throw new ModelLoadException(
            file + " line " + (i + 1) + " has " + cells.length + " columns, the header " + header.size());
      }
      inputs.add(new TextInput(cells[text].strip(), pair < 0 ? null : cells[pair].strip()));
      labels.add(cells[label].strip());
    }
    return new LabelledData(inputs, labels);
  }

  private static int column(Path file, List<String> header, String name, boolean required) {
    int index = header.indexOf(name);
    if (index < 0 && required) {
      throw new ModelLoadException(file + " has no '" + name + "' column in its header " + header);
    }
    return index;
  }

  private static LabelledData fromJsonLines(Path file, List<String> lines) {
    List<TextInput> inputs = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) {
        continue;
      }
      JsonNode row;
      try {
        row = JSON.readTree(lines.get(i));
      } catch (IOException e) {
        throw new ModelLoadException(file + " line " + (i + 1) + " is not JSON: " + e.getMessage(), e);
      }
      if (!row.path("text").isTextual() || !row.hasNonNull("label")) {
        throw new ModelLoadException(file + " line " + (i + 1) + " needs a string 'text' and a 'label'");
      }
      JsonNode pair = row.get("text_pair");
      inputs.add(new TextInput(row.get("text").asText(), pair == null || pair.isNull() ? null : pair.asText()));
      labels.add(row.get("label").asText());
    }
    return new LabelledData(inputs, labels);
  }

  /**
   * The distinct labels in a stable order: numerically when all are integers (so {@code 0, 1, 2}), else
   * alphabetically. A label's index in this list is its class id.
   */
  public List<String> labelNames() {
    List<String> distinct = labels.stream().distinct().toList();
    boolean numeric = distinct.stream().allMatch(l -> l.matches("-?\\d{1,9}"));
    return distinct.stream()
        .sorted(numeric ? Comparator.comparingInt(Integer::parseInt) : Comparator.<String>naturalOrder())
        .toList();
  }

  /**
   * The class id of each example under an order of label names.
   *
   * @throws IllegalArgumentException naming the label, if one is not in {@code names}
   */
  public int[] labelIds(List<String> names) {
    Objects.requireNonNull(names, "names");
    int[] ids = new int[labels.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = names.indexOf(labels.get(i));
      if (ids[i] < 0) {
        throw new IllegalArgumentException("unknown label '" + labels.get(i) + "' (example " + i + "); known: " + names);
      }
    }
    return ids;
  }
}
