package dev.jtransformers.models.embedded;

import dev.jtransformers.models.EmbeddedModel;
import dev.jtransformers.models.ModelConfig;
import dev.jtransformers.models.ResourceFile;
import dev.jtransformers.models.SentenceTransformersConfig;
import java.util.List;
import java.util.Objects;

/** An embedded model whose id, origin and files are fixed when it is constructed. */
abstract class ListedModel implements EmbeddedModel {
  /** Where this module keeps the files it adds to embedded models (configurations, trained heads). */
  private static final String OWN_RESOURCES = "dev/jtransformers/models/embedded/";

  /** This module, as an origin. */
  static final String THIS_ARTIFACT = "dev.jtransformers:jtransformers-models-embedded";

  private final String id;
  private final String origin;
  private final List<ResourceFile> files;

  ListedModel(String id, String origin, List<ResourceFile> files) {
    this.id = Objects.requireNonNull(id, "id");
    this.origin = Objects.requireNonNull(origin, "origin");
    this.files = List.copyOf(files);
  }

  /**
   * A sentence-transformers model's files: an ONNX graph and a {@code tokenizer.json} from another artifact's
   * resources, beside the configuration files this module keeps for it under {@code configuration}.
   */
  static List<ResourceFile> sentenceTransformer(String graph, String tokenizer, String configuration) {
    return List.of(
        new ResourceFile(graph, "onnx/model.onnx"),
        new ResourceFile(tokenizer, "tokenizer.json"),
        ownFile(configuration, ModelConfig.FILE_NAME),
        ownFile(configuration, "tokenizer_config.json"),
        ownFile(configuration, SentenceTransformersConfig.MODULES_FILE),
        ownFile(configuration, "1_Pooling/config.json"),
        ownFile(configuration, SentenceTransformersConfig.SENTENCE_BERT_FILE));
  }

  /** A file this module adds to {@code model}'s directory at {@code path}. */
  static ResourceFile ownFile(String model, String path) {
    return new ResourceFile(OWN_RESOURCES + model + "/" + path, path);
  }

  @Override
  public final String id() {
    return id;
  }

  @Override
  public final String origin() {
    return origin;
  }

  @Override
  public final List<ResourceFile> files() {
    return files;
  }

  @Override
  public String toString() {
    return id;
  }
}
