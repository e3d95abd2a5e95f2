package dev.jtransformers.tokenizer.wordpiece;

import static dev.jtransformers.tokenizer.wordpiece.CharacterTables.PUNCTUATION;
import static dev.jtransformers.tokenizer.wordpiece.CharacterTables.SPLIT_WHITESPACE;

/**
 * BERT's pre-tokeniser ({@code "type": "BertPreTokenizer"}): splits on whitespace, which it drops, and makes every
 * punctuation character (ASCII punctuation and the Unicode P* categories) a word of its own.
 */
record BertPreTokenizer() implements PreTokenizer {
  @Override
  public void split(NormalizedText text, int from, int to, Ranges words) {
    int wordStart = from;
    for (int i = from; i < to; i++) {
      int flags = CharacterTables.flags(text.codePoint(i));
      if ((flags & (SPLIT_WHITESPACE | PUNCTUATION)) != 0) {
        if (wordStart < i) {
          words.add(wordStart, i);
        }
        if ((flags & PUNCTUATION) != 0) {
          words.add(i, i + 1);
        }
        wordStart = i + 1;
      }
    }
    if (wordStart < to) {
      words.add(wordStart, to);
    }
  }
}
