package dev.jtransformers.models;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jtransformers.api.ModelLoadException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * How the {@code sentence-transformers} library turns a model's hidden states into a sentence embedding, read from
 * the files it saves next to the model: {@value #MODULES_FILE} (the stages: Transformer, Pooling, Normalize, ...),
 * the Pooling stage's {@code config.json}, and {@value #SENTENCE_BERT_FILE} (maximum sequence length, lower-casing).
 *
 * <p>Immutable.
 *
 * @param modules the stages in order, as listed in {@value #MODULES_FILE}
 * @param pooling the Pooling stage's settings, if the model has one
 * @param normalize whether a Normalize stage scales embeddings to unit length
 * @param maxSeqLength the tokens the model reads, if {@value #SENTENCE_BERT_FILE} says
 * @param doLowerCase whether inputs are lower-cased before tokenisation ({@code false} when unsaid)
 */
public record SentenceTransformersConfig(
    List<Module> modules, Optional<PoolingStage> pooling, boolean normalize, OptionalInt maxSeqLength, boolean doLowerCase) {

  /** Lists the stages of a sentence-transformers model. */
  public static final String MODULES_FILE = "modules.json";

  /** Holds {@code max_seq_length} and {@code do_lower_case}. */
  public static final String SENTENCE_BERT_FILE = "sentence_bert_config.json";

  private static final String POOLING_TYPE = "sentence_transformers.models.Pooling";
  private static final String NORMALIZE_TYPE = "sentence_transformers.models.Normalize";

  public SentenceTransformersConfig {
    modules = List.copyOf(modules);
    Objects.requireNonNull(pooling, "pooling");
    Objects.requireNonNull(maxSeqLength, "maxSeqLength");
  }

  /**
   * One stage of the model, an entry of {@value #MODULES_FILE}.
   *
   * @param name the stage's name, e.g. {@code 1}
   * @param path its folder inside the model directory, empty for the directory itself
   * @param type its Python class, e.g. {@code sentence_transformers.models.Pooling}
   */
  public record Module(String name, String path, String type) {
    public Module {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(type, "type");
    }
  }

  /**
   * The Pooling stage's settings.
   *
   * @param modes the modes switched on, in sentence-transformers' concatenation order; never empty
   * @param wordEmbeddingDimension width of the token vectors it reads
   */
  public record PoolingStage(Set<Pooling> modes, int wordEmbeddingDimension) {
    public PoolingStage {
      if (modes.isEmpty()) {
        throw new IllegalArgumentException("pooling needs at least one mode");
      }
      modes = Collections.unmodifiableSet(EnumSet.copyOf(modes));
    }
  }

  /**
   * Reads the sentence-transformers files of a model directory.
   *
   * @return empty if the directory has no {@value #MODULES_FILE} (it is not a sentence-transformers model)
   * @throws ModelLoadException naming the file and key, if a file listed or needed is missing or malformed
   */
  public static Optional<SentenceTransformersConfig> load(Path directory) {
    Objects.requireNonNull(directory, "directory");
    Path modulesFile = directory.resolve(MODULES_FILE);
    if (!Files.exists(modulesFile)) {
      return Optional.empty();
    }
    List<Module> modules = readModules(modulesFile);
    Optional<PoolingStage> pooling =
        modules.stream()
            .filter(m -> m.type().equals(POOLING_TYPE))
            .findFirst()
            .map(m -> readPooling(directory.resolve(m.path()).resolve(ModelConfig.FILE_NAME)));
    boolean normalize = modules.stream().anyMatch(m -> m.type().equals(NORMALIZE_TYPE));

    Path sentenceBertFile = directory.resolve(SENTENCE_BERT_FILE);
    OptionalInt maxSeqLength = OptionalInt.empty();
    boolean doLowerCase = false;
    if (Files.exists(sentenceBertFile)) {
      JsonFields fields = JsonFields.of(JsonFiles.read(sentenceBertFile), sentenceBertFile.toString());
      maxSeqLength = fields.integer("max_seq_length");
      doLowerCase = fields.bool("do_lower_case").orElse(false);
    }
    return Optional.of(new SentenceTransformersConfig(modules, pooling, normalize, maxSeqLength, doLowerCase));
  }

  private static List<Module> readModules(Path file) {
    JsonNode root = JsonFiles.read(file);
    if (!root.isArray()) {
      throw new ModelLoadException(file + " must hold a JSON array of modules, found " + root.getNodeType());
    }
    List<Module> modules = new ArrayList<>();
    for (int i = 0; i < root.size(); i++) {
      JsonFields fields = JsonFields.of(root.get(i), file + "[" + i + "]");
      modules.add(
          new Module(
              fields.string("name").orElse(Integer.toString(i)),
              insideModel(fields, fields.string("path").orElse("")),
              fields.string("type").orElseThrow(() -> fields.invalid("type", "is missing"))));
    }
    return List.copyOf(modules);
  }

  /** A module's folder must lie inside the model directory: a hostile file could otherwise send reads anywhere. */
  private static String insideModel(JsonFields fields, String path) {
    Path relative;
    try {
      relative = Path.of(path).normalize();
    } catch (InvalidPathException e) {
      throw fields.invalid("path", "is not a path: " + e.getMessage());
    }
    if (relative.isAbsolute() || relative.startsWith("..")) {
      throw fields.invalid("path", "is " + path + ", which points outside the model directory");
    }
    return path;
  }

  private static PoolingStage readPooling(Path file) {
    JsonFields fields = JsonFields.of(JsonFiles.read(file), file.toString());
    Set<Pooling> modes = EnumSet.noneOf(Pooling.class);
    for (Pooling mode : Pooling.values()) {
      if (fields.bool(mode.key()).orElse(false)) {
        modes.add(mode);
      }
    }
    if (modes.isEmpty()) {
      throw new ModelLoadException(file + " switches on no pooling mode (e.g. pooling_mode_mean_tokens)");
    }
    return new PoolingStage(modes, fields.requireInteger("word_embedding_dimension"));
  }
}
