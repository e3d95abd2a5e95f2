package dev.jtransformers.pipelines;

import dev.jtransformers.models.ModelResolver;
import dev.jtransformers.tokenizer.ComposedTokenizer;
import dev.jtransformers.tokenizer.Tokenizers;

/**
 * The first step of a pipeline by hand, as Python's {@code AutoTokenizer.from_pretrained(checkpoint)}: the
 * tokenizer a model was trained with, the same one its pipelines use.
 *
 * <pre>{@code
 * ComposedTokenizer tokenizer = AutoTokenizer.fromPretrained("sentence-transformers/all-MiniLM-L6-v2");
 * BatchEncoding inputs = tokenizer.encodeBatch(
 *     List.of(TextInput.of("I hate this so much!")),
 *     EncodeOptions.builder()
 *         .padding(EncodeOptions.Padding.LONGEST)
 *         .truncation(EncodeOptions.Truncation.LONGEST_FIRST)
 *         .maxLength(tokenizer.modelMaxLength().orElseThrow())
 *         .build());
 * }</pre>
 */
public final class AutoTokenizer {
  private AutoTokenizer() {}

  /**
   * Loads the tokenizer of a model: its {@code tokenizer.json}, or {@code vocab.txt} with {@code
   * tokenizer_config.json}; the file's model type picks the implementation (WordPiece, the BERT family's).
   *
   * @param modelIdOrDirectory a model directory, or the id of an embedded model (e.g. {@code
   *     sentence-transformers/all-MiniLM-L6-v2})
   * @throws dev.jtransformers.api.ModelLoadException if there is no such directory or embedded model
   * @throws dev.jtransformers.api.TokenizerException if the tokenizer files are missing or malformed
   */
  public static ComposedTokenizer fromPretrained(String modelIdOrDirectory) {
    return Tokenizers.load(new ModelResolver().resolve(modelIdOrDirectory));
  }
}
