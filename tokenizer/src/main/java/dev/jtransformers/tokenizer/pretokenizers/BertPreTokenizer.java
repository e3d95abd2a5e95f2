package dev.jtransformers.tokenizer.pretokenizers;

import static dev.jtransformers.tokenizer.CharacterTables.PUNCTUATION;
import static dev.jtransformers.tokenizer.CharacterTables.SPLIT_WHITESPACE;

import dev.jtransformers.tokenizer.CharacterTables;
import dev.jtransformers.tokenizer.ComponentFactory;
import dev.jtransformers.tokenizer.NormalizedText;
import dev.jtransformers.tokenizer.PreTokenizer;
import dev.jtransformers.tokenizer.Splits;
import dev.jtransformers.tokenizer.Stage;

/**
 * BERT's pre-tokeniser ({@code "type": "BertPreTokenizer"}): splits on whitespace, which it drops, and makes every
 * punctuation character (ASCII punctuation and the Unicode P* categories) a word of its own.
 */
public record BertPreTokenizer() implements PreTokenizer {

  /** Reads {@code {"type": "BertPreTokenizer"}}, which has no options. */
  public static final class Factory extends ComponentFactory.WithoutOptions<PreTokenizer> {
    public Factory() {
      super(Stage.PRE_TOKENIZER, "BertPreTokenizer", new BertPreTokenizer());
    }
  }

  @Override
  public void split(NormalizedText text, int from, int to, Splits words) {
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
