package dev.jtransformers.tokenizer.wordpiece;

import java.util.List;

/**
 * WordPiece's decoder ({@code "type": "WordPiece"}): glues pieces that start with the prefix to the previous
 * token, puts a space before the others, and with {@code cleanup} removes spaces before punctuation and
 * contractions, token by token as Hugging Face does.
 */
record WordPieceDecoder(String prefix, boolean cleanup) implements Decoder {
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
  static String cleanUp(String text) {
    return WordPieceTokenizer.cleanUp(text).replace(" do not", " don't");
  }
}
