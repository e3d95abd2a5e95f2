package dev.jtransformers.tokenizer.wordpiece;

import static dev.jtransformers.tokenizer.wordpiece.CharacterTables.SPLIT_WHITESPACE;

/** Splits on whitespace, which it drops ({@code "type": "WhitespaceSplit"}). */
record WhitespaceSplitPreTokenizer() implements PreTokenizer {
  @Override
  public void split(NormalizedText text, int from, int to, Ranges words) {
    int wordStart = from;
    for (int i = from; i < to; i++) {
      if (CharacterTables.has(text.codePoint(i), SPLIT_WHITESPACE)) {
        if (wordStart < i) {
          words.add(wordStart, i);
        }
        wordStart = i + 1;
      }
    }
    if (wordStart < to) {
      words.add(wordStart, to);
    }
  }
}
