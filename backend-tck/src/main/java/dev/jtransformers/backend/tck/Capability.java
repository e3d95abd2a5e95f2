package dev.jtransformers.backend.tck;

/** Optional abilities a backend declares; the kit skips the tests of the ones it lacks. */
public enum Capability {
  /** Feeds {@code token_type_ids} to models that take them, so text pairs give Hugging Face's results. */
  TOKEN_TYPE_IDS,
  /** Loads the embedded default model, {@code sentence-transformers/all-MiniLM-L6-v2} (an ONNX graph). */
  EMBEDDED_MODEL
}
