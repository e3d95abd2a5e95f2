package dev.jtransformers.tokenizer.wordpiece;

import dev.jtransformers.tokenizer.ComponentFactory;
import dev.jtransformers.tokenizer.ConfigSection;
import dev.jtransformers.tokenizer.Decoder;
import dev.jtransformers.tokenizer.Stage;
import java.util.List;

/**
 * WordPiece's decoder ({@code "type": "WordPiece"}): glues pieces that start with the prefix to the previous
 * token, puts a space before the others, and with {@code cleanup} removes spaces before punctuation and
 * contractions, token by token as Hugging Face does.
 */
public record WordPieceDecoder(String prefix, boolean cleanup) implements Decoder {

  /** Reads {@code {"type": "WordPiece", "prefix", "cleanup"}}, defaulting as in BERT: {@code ##}, {@code true}. */
  public static final class Factory extends ComponentFactory<Decoder> {
    public Factory() {
      super(Stage.DECODER, "WordPiece");
    }

    @Override
    public Decoder create(ConfigSection config) {
      return new WordPieceDecoder(config.string("prefix", "##"), config.bool("cleanup", true));
    }
  }

  @Override
  public String decode(List<String> tokens) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < tokens.size(); i++) {
      String token = tokens.get(i);
      String piece;
      if (i == 0) {
        piece = token;
      } else if (token.startsWith(prefix)) {
        piece = token.substring(prefix.length());
      } else {
        piece = " " + token;
      }
      text.append(cleanup ? cleanUp(piece) : piece);
    }
    return text.toString();
  }

  /**
   * Hugging Face's {@code cleanup} of the WordPiece decoder: transformers' clean-up, and " do not" rewritten (no
   * other rewrite makes or breaks a " do not", so the order does not matter).
   */
  private static String cleanUp(String text) {
    return Decoder.cleanUpTokenization(text).replace(" do not", " don't");
  }
}
