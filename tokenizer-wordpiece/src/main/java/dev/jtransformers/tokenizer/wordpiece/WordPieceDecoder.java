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

  /** Hugging Face's {@code cleanup} of the WordPiece decoder (it also rewrites " do not"). */
  static String cleanUp(String text) {
    return text.replace(" .", ".")
        .replace(" ?", "?")
        .replace(" !", "!")
        .replace(" ,", ",")
        .replace(" ' ", "'")
        .replace(" n't", "n't")
        .replace(" 'm", "'m")
        .replace(" do not", " don't")
        .replace(" 's", "'s")
        .replace(" 've", "'ve")
        .replace(" 're", "'re");
  }
}
