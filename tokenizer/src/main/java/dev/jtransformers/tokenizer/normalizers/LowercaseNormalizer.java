package dev.jtransformers.tokenizer.normalizers;

import dev.jtransformers.tokenizer.CharacterTables;
import dev.jtransformers.tokenizer.ComponentFactory;
import dev.jtransformers.tokenizer.NormalizedText;
import dev.jtransformers.tokenizer.Normalizer;
import dev.jtransformers.tokenizer.Stage;

/** Lowercases every code point on its own, as Rust's {@code char::to_lowercase} does ({@code "type": "Lowercase"}). */
public record LowercaseNormalizer() implements Normalizer {

  /** Reads {@code {"type": "Lowercase"}}, which has no options. */
  public static final class Factory extends ComponentFactory.WithoutOptions<Normalizer> {
    public Factory() {
      super(Stage.NORMALIZER, "Lowercase", new LowercaseNormalizer());
    }
  }

  @Override
  public NormalizedText normalize(NormalizedText text) {
    NormalizedText result = new NormalizedText(text.length());
    for (int i = 0; i < text.length(); i++) {
      appendLowercase(result, text.codePoint(i), text.start(i), text.end(i));
    }
    return result;
  }

  /** Appends the lowercase of one code point; every code point of it keeps the source's alignment. */
  static void appendLowercase(NormalizedText out, int cp, int start, int end) {
    int lower = CharacterTables.simpleLowercase(cp);
    if (lower != 0 || cp == 0) {
      out.append(lower, start, end);
    } else {
      for (int l : CharacterTables.lowercaseOf(cp)) {
        out.append(l, start, end);
      }
    }
  }
}
