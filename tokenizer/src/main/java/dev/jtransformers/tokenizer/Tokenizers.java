package dev.jtransformers.tokenizer;

import dev.jtransformers.api.TokenizerException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The one way to load a tokenizer from Hugging Face files, whatever its model: the file's {@code "type"} names pick
 * the components from the {@link TokenizerComponents} registry (WordPiece comes with
 * {@code jtransformers-tokenizer-wordpiece}; other models plug in the same way).
 *
 * <pre>{@code
 * ComposedTokenizer tokenizer = Tokenizers.load(Path.of("models/bert-base-uncased"));
 * Encoding encoding = tokenizer.encode("Hello, world!");
 * }</pre>
 */
public final class Tokenizers {
  private Tokenizers() {}

  /**
   * Loads a tokenizer from a {@code tokenizer.json} file or a model directory, with the components visible to the
   * thread's context class loader. A directory's {@code tokenizer.json} is used if there is one, else
   * {@code vocab.txt} with {@code tokenizer_config.json} and {@code special_tokens_map.json} (BERT's older
   * layout). The {@code tokenizer_config.json} beside a {@code tokenizer.json} supplies {@code model_max_length},
   * {@code clean_up_tokenization_spaces} and the padding token.
   *
   * @throws UnknownComponentException if the file names a component type no factory builds
   * @throws TokenizerException if files are missing or malformed
   */
  public static ComposedTokenizer load(Path path) {
    return load(path, TokenizerComponents.discover());
  }

  /**
   * Whether a model directory holds a tokenizer {@link #load(Path)} would read: a {@code tokenizer.json} or a {@code
   * vocab.txt} (it may still be malformed).
   *
   * @throws TokenizerException if the directory can't be looked at (permission denied), rather than answering no
   */
  public static boolean isIn(Path directory) {
    return TokenizerLoader.isIn(Objects.requireNonNull(directory, "directory"));
  }

  /** Loads a tokenizer as {@link #load(Path)} does, with the given components. */
  public static ComposedTokenizer load(Path path, TokenizerComponents components) {
    Objects.requireNonNull(path, "path");
    return new TokenizerLoader(Objects.requireNonNull(components, "components")).load(path);
  }

  /**
   * Loads a tokenizer from the content of a {@code tokenizer.json}, e.g. a resource of a jar, with the components
   * visible to the thread's context class loader. The stream is read to its end but not closed.
   *
   * @throws UnknownComponentException if the file names a component type no factory builds
   * @throws TokenizerException if it is malformed
   */
  public static ComposedTokenizer load(InputStream tokenizerJson) {
    return load(tokenizerJson, TokenizerComponents.discover());
  }

  /** Loads a tokenizer as {@link #load(InputStream)} does, with the given components. */
  public static ComposedTokenizer load(InputStream tokenizerJson, TokenizerComponents components) {
    Objects.requireNonNull(tokenizerJson, "tokenizerJson");
    return new TokenizerLoader(Objects.requireNonNull(components, "components"))
        .load(tokenizerJson, "tokenizer.json stream");
  }
}
