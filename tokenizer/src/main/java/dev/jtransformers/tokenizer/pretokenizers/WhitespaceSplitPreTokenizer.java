package dev.jtransformers.tokenizer.pretokenizers;

import static dev.jtransformers.tokenizer.CharacterTables.SPLIT_WHITESPACE;

import dev.jtransformers.tokenizer.CharacterTables;
import dev.jtransformers.tokenizer.ComponentFactory;
import dev.jtransformers.tokenizer.NormalizedText;
import dev.jtransformers.tokenizer.PreTokenizer;
import dev.jtransformers.tokenizer.Splits;
import dev.jtransformers.tokenizer.Stage;

/** Splits on whitespace, which it drops ({@code "type": "WhitespaceSplit"}). */
public record WhitespaceSplitPreTokenizer() implements PreTokenizer {

  /** Reads {@code {"type": "WhitespaceSplit"}}, which has no options. */
  public static final class Factory extends ComponentFactory.WithoutOptions<PreTokenizer> {
    public Factory() {
      super(Stage.PRE_TOKENIZER, "WhitespaceSplit", new WhitespaceSplitPreTokenizer());
    }
  }

  @Override
  public void split(NormalizedText text, int from, int to, Splits words) {
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
