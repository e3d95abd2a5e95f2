package dev.jtransformers.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jtransformers.api.ModelLoadException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A model's {@code config.json}, as Hugging Face {@code transformers} writes it, read into typed values.
 *
 * <p>Architectures name the same setting differently (BERT's {@code hidden_size} is DistilBERT's {@code dim}); the
 * accessors hide that. Keys this class does not model stay in the JSON tree ({@link #get}), and {@link #save} writes
 * them back, so a configuration written here loads in Python {@code transformers}.
 *
 * <p>Immutable; the {@code with*} methods return modified copies.
 */
public final class ModelConfig {
  /** The file name inside a model directory. */
  public static final String FILE_NAME = "config.json";

  /** The {@code problem_type} values Hugging Face accepts. */
  private static final Set<String> PROBLEM_TYPES =
      Set.of("regression", "single_label_classification", "multi_label_classification");

  /** Hugging Face's {@code num_labels} when a configuration names none. */
  private static final int DEFAULT_NUM_LABELS = 2;

  private final ObjectNode json;
  private final String modelType;
  private final List<String> architectures;
  private final int hiddenSize;
  private final int numHiddenLayers;
  private final int numAttentionHeads;
  private final int intermediateSize;
  private final int vocabSize;
  private final int maxPositionEmbeddings;
  private final int typeVocabSize;
  private final double layerNormEps;
  private final String hiddenAct;
  private final SortedMap<Integer, String> id2label;
  private final Map<String, Integer> label2id;
  private final Optional<String> problemType;

  private ModelConfig(JsonNode tree, String source) {
    JsonFields fields = JsonFields.of(tree, source);
    this.json = (ObjectNode) tree; // JsonFields.of accepts objects only
    this.modelType = fields.string("model_type").orElseThrow(() -> fields.invalid("model_type", "is missing"));
    this.architectures = fields.strings("architectures");
    this.hiddenSize = fields.requireInteger("hidden_size", "dim");
    this.numHiddenLayers = fields.requireInteger("num_hidden_layers", "n_layers");
    this.numAttentionHeads = fields.requireInteger("num_attention_heads", "n_heads");
    this.intermediateSize = fields.requireInteger("intermediate_size", "hidden_dim");
    this.vocabSize = fields.requireInteger("vocab_size");
    this.maxPositionEmbeddings = fields.requireInteger("max_position_embeddings");
    // DistilBERT has no token types: it takes no token_type_ids.
    this.typeVocabSize = fields.integer("type_vocab_size").orElse(0);
    // DistilBERT fixes its layer-norm epsilon at BERT's default instead of configuring it.
    this.layerNormEps = fields.number("layer_norm_eps").orElse(1e-12);
    this.hiddenAct = fields.string("hidden_act").or(() -> fields.string("activation")).orElse("gelu");
    this.id2label = readId2label(fields);
    this.label2id = readLabel2id(fields, id2label);
    this.problemType = fields.string("problem_type");
    problemType.ifPresent(
        type -> {
          if (!PROBLEM_TYPES.contains(type)) {
            throw fields.invalid("problem_type", "must be one of " + PROBLEM_TYPES + ", found \"" + type + "\"");
          }
        });
  }

  /**
   * Reads a configuration.
   *
   * @param path a model directory (holding {@value #FILE_NAME}) or the JSON file itself
   * @throws ModelLoadException naming the file and the key, if the file is missing, is not valid JSON, or a value is
   *     missing or of the wrong type
   */
  public static ModelConfig load(Path path) {
    Objects.requireNonNull(path, "path");
    Path file = Files.isDirectory(path) ? path.resolve(FILE_NAME) : path;
    return new ModelConfig(JsonFiles.read(file), file.toString());
  }

  /**
   * Parses the text of a {@value #FILE_NAME}.
   *
   * @throws ModelLoadException if the text is not valid JSON or a value is missing or of the wrong type
   */
  public static ModelConfig parse(String json) {
    Objects.requireNonNull(json, "json");
    return new ModelConfig(JsonFiles.parse(json, FILE_NAME), FILE_NAME);
  }

  /**
   * Reads a configuration from plain values, as {@link dev.jtransformers.spi.LoadRequest#config()} carries it: the
   * inverse of {@link #toMap()}.
   *
   * @throws IllegalArgumentException naming the key, for a value that is not plain JSON (a string, boolean, JDK
   *     number, {@code null}, or a list or map of them)
   * @throws ModelLoadException if a value is missing or of the wrong type, as for {@link #parse}
   */
  public static ModelConfig fromMap(Map<String, ?> values) {
    Objects.requireNonNull(values, "values");
    return new ModelConfig(JsonValues.toTree(values, FILE_NAME), FILE_NAME);
  }

  private static SortedMap<Integer, String> readId2label(JsonFields fields) {
    Map<String, JsonNode> members = fields.members("id2label");
    SortedMap<Integer, String> labels = new TreeMap<>();
    if (members.isEmpty()) {
      // Hugging Face leaves default labels out of the file: LABEL_0 .. LABEL_{n-1}.
      int count = fields.integer("num_labels").orElse(DEFAULT_NUM_LABELS);
      if (count < 1) {
        throw fields.invalid("num_labels", "must be at least 1, found " + count);
      }
      for (int i = 0; i < count; i++) {
        labels.put(i, "LABEL_" + i);
      }
      return Collections.unmodifiableSortedMap(labels);
    }
    members.forEach(
        (key, value) -> {
          String field = "id2label." + key;
          int id;
          try {
            id = Integer.parseInt(key);
          } catch (NumberFormatException e) {
            throw fields.invalid(field, "must have an integer key");
          }
          if (!value.isTextual()) {
            throw fields.invalid(field, "must be a string, found " + value);
          }
          labels.put(id, value.textValue());
        });
    // Logits are indexed by label id: the ids must be 0 .. n-1 for every logit to have a name.
    if (labels.firstKey() != 0 || labels.lastKey() != labels.size() - 1) {
      throw fields.invalid("id2label", "must number its labels 0 to n-1, found ids " + labels.keySet());
    }
    fields.integer("num_labels").ifPresent(count -> {
      if (count != labels.size()) {
        throw fields.invalid("num_labels", "is " + count + " but id2label names " + labels.size() + " labels");
      }
    });
    return Collections.unmodifiableSortedMap(labels);
  }

  private static Map<String, Integer> readLabel2id(JsonFields fields, SortedMap<Integer, String> id2label) {
    Map<String, JsonNode> members = fields.members("label2id");
    Map<String, Integer> result = new LinkedHashMap<>();
    if (members.isEmpty()) {
      id2label.forEach((id, label) -> result.put(label, id));
    } else {
      members.forEach((label, id) -> result.put(label, fields.toInt("label2id." + label, id)));
    }
    return Collections.unmodifiableMap(result);
  }

  /** {@code model_type}, e.g. {@code bert}, {@code distilbert}. */
  public String modelType() {
    return modelType;
  }

  /** {@code architectures}, e.g. {@code [BertForSequenceClassification]}; empty if the file names none. */
  public List<String> architectures() {
    return architectures;
  }

  /** Width of the hidden states ({@code hidden_size}; DistilBERT: {@code dim}). */
  public int hiddenSize() {
    return hiddenSize;
  }

  /** Number of transformer layers ({@code num_hidden_layers}; DistilBERT: {@code n_layers}). */
  public int numHiddenLayers() {
    return numHiddenLayers;
  }

  /** Attention heads per layer ({@code num_attention_heads}; DistilBERT: {@code n_heads}). */
  public int numAttentionHeads() {
    return numAttentionHeads;
  }

  /** Width of the feed-forward layer ({@code intermediate_size}; DistilBERT: {@code hidden_dim}). */
  public int intermediateSize() {
    return intermediateSize;
  }

  /** Number of token ids ({@code vocab_size}). */
  public int vocabSize() {
    return vocabSize;
  }

  /** Longest input the position embeddings cover ({@code max_position_embeddings}). */
  public int maxPositionEmbeddings() {
    return maxPositionEmbeddings;
  }

  /**
   * Number of token types ({@code type_vocab_size}), or 0 when the configuration has none: such a model (DistilBERT)
   * takes no {@code token_type_ids}.
   */
  public int typeVocabSize() {
    return typeVocabSize;
  }

  /** Epsilon of the layer normalisations ({@code layer_norm_eps}, 1e-12 when absent). */
  public double layerNormEps() {
    return layerNormEps;
  }

  /** Activation of the feed-forward layers ({@code hidden_act}; DistilBERT: {@code activation}), e.g. {@code gelu}. */
  public String hiddenAct() {
    return hiddenAct;
  }

  /**
   * Class names by logit index ({@code id2label}), ids 0 to {@link #numLabels()} - 1; Hugging Face's {@code LABEL_i}
   * names when the file has none.
   */
  public SortedMap<Integer, String> id2label() {
    return id2label;
  }

  /** Logit index by class name ({@code label2id}; the inverse of {@link #id2label()} when the file has none). */
  public Map<String, Integer> label2id() {
    return label2id;
  }

  /** The class names in logit order. */
  public List<String> labels() {
    return List.copyOf(id2label.values());
  }

  /** Number of classes of a classification head. */
  public int numLabels() {
    return id2label.size();
  }

  /**
   * {@code problem_type}: {@code single_label_classification}, {@code multi_label_classification} or {@code
   * regression}.
   */
  public Optional<String> problemType() {
    return problemType;
  }

  /** The raw value of any key, e.g. one this class does not model; empty if absent or {@code null}. */
  public Optional<JsonNode> get(String key) {
    Objects.requireNonNull(key, "key");
    JsonNode value = json.get(key);
    return value == null || value.isNull() ? Optional.empty() : Optional.of(value.deepCopy());
  }

  /**
   * This configuration with other class names: sets {@code id2label} and {@code label2id} (and {@code num_labels}
   * where the file has it).
   *
   * @param labels the class names in logit order, unique and not empty
   */
  public ModelConfig withLabels(List<String> labels) {
    Objects.requireNonNull(labels, "labels");
    if (labels.isEmpty() || Set.copyOf(labels).size() != labels.size()) {
      throw new IllegalArgumentException("labels must be unique and not empty, got " + labels);
    }
    ObjectNode copy = json.deepCopy();
    ObjectNode ids = copy.putObject("id2label");
    ObjectNode names = copy.putObject("label2id");
    for (int i = 0; i < labels.size(); i++) {
      ids.put(Integer.toString(i), labels.get(i));
      names.put(labels.get(i), i);
    }
    if (copy.has("num_labels")) {
      copy.put("num_labels", labels.size());
    }
    return new ModelConfig(copy, FILE_NAME);
  }

  /** This configuration with other {@code architectures}, e.g. {@code [BertForSequenceClassification]}. */
  public ModelConfig withArchitectures(List<String> architectures) {
    Objects.requireNonNull(architectures, "architectures");
    ObjectNode copy = json.deepCopy();
    ArrayNode array = copy.putArray("architectures");
    architectures.forEach(name -> array.add(Objects.requireNonNull(name, "architecture")));
    return new ModelConfig(copy, FILE_NAME);
  }

  /**
   * This configuration with another {@code problem_type}.
   *
   * @throws IllegalArgumentException if Hugging Face does not know that problem type
   */
  public ModelConfig withProblemType(String problemType) {
    Objects.requireNonNull(problemType, "problemType");
    if (!PROBLEM_TYPES.contains(problemType)) {
      throw new IllegalArgumentException("problem type must be one of " + PROBLEM_TYPES + ", got " + problemType);
    }
    ObjectNode copy = json.deepCopy();
    copy.put("problem_type", problemType);
    return new ModelConfig(copy, FILE_NAME);
  }

  /**
   * The configuration as plain values, every key kept, in file order: what a {@link dev.jtransformers.spi.LoadRequest}
   * carries. Deeply unmodifiable; {@link #fromMap} reads it back into an equal configuration.
   */
  public Map<String, Object> toMap() {
    return JsonValues.toMap(json);
  }

  /** The configuration as {@value #FILE_NAME} text, unknown keys included, indented as Hugging Face writes it. */
  public String toJson() {
    return JsonFiles.format(json);
  }

  /**
   * Writes {@value #FILE_NAME} into {@code directory}, creating the directory if needed.
   *
   * @return the file written
   */
  public Path save(Path directory) throws IOException {
    Objects.requireNonNull(directory, "directory");
    Files.createDirectories(directory);
    return Files.writeString(directory.resolve(FILE_NAME), toJson());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ModelConfig c && json.equals(c.json);
  }

  @Override
  public int hashCode() {
    return json.hashCode();
  }

  @Override
  public String toString() {
    return "ModelConfig{" + modelType + ", " + architectures + ", hidden " + hiddenSize + ", layers "
        + numHiddenLayers + ", heads " + numAttentionHeads + ", labels " + id2label.values() + "}";
  }
}
