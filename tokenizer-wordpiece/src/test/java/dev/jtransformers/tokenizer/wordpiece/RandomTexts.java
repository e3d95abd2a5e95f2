package dev.jtransformers.tokenizer.wordpiece;

import java.util.List;
import java.util.Random;

/**
 * Deterministic random texts that stress a BERT tokenizer: many scripts, combining marks (reordered ones
 * too), controls, unusual whitespace, supplementary characters, special-token text and words around the
 * 100-character limit.
 */
final class RandomTexts {
  private static final List<String> SPECIAL_TEXT = List.of(
      "[SEP]", "[MASK]", "[CLS]", "[PAD]", "[UNK]", "[sep]", "[SEP", "[[MASK]]", " [MASK] ", "x[SEP]y");
  private static final List<String> WHITESPACE = List.of(
      " ", " ", " ", "  ", "\t", "\n", "\r\n", "\u00a0", "\u3000", "\u2003", "\u0085", "\u200b", "\u2028", "\u1680");
  private static final List<String> WORDS = List.of(
      "İstanbul", "ıi", "Straße", "ΣΊΣΥΦΟΣ", "ὈΔΥΣΣΕΎΣ", "ﬀﬃ", "ＡＢＣ", "Ⅻ", "①②", "x²", "Ǆemal", "ǅ", "ᾼ",
      "naïve", "résumé", "coöperate", "Ångström", "don't", "$5.99!!!", "e-mail", "U.S.A.", "C++", "…", "«»",
      "ﷺ", "ﬁ", "Ⓐ", "𝐀𝐁", "ŉ", "ǰ", "ΐ", "ﬓ", "\u1e9e", "K", "Å", "Ω", "\u0345");

  private final Random random;

  RandomTexts(long seed) {
    random = new Random(seed);
  }

  /** A text of a few fragments, possibly empty. */
  String next() {
    int parts = random.nextInt(10);
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < parts; i++) {
      fragment(text);
      if (random.nextInt(3) > 0) {
        text.append(pick(WHITESPACE));
      }
    }
    return text.toString();
  }

  /** A text with a lone surrogate somewhere. */
  String withLoneSurrogate() {
    StringBuilder text = new StringBuilder(next());
    char lone = random.nextBoolean() ? (char) (0xD800 + random.nextInt(0x400)) : (char) (0xDC00 + random.nextInt(0x400));
    text.insert(random.nextInt(text.length() + 1), lone);
    if (random.nextBoolean()) {
      text.append("a\u0000b \uD83D\uDE00");
    }
    return text.toString();
  }

  int nextInt(int bound) {
    return random.nextInt(bound);
  }

  private void fragment(StringBuilder text) {
    switch (random.nextInt(16)) {
      case 0 -> text.append(pick(SPECIAL_TEXT));
      case 1 -> text.append(pick(WORDS));
      case 2 -> {
        text.appendCodePoint('a' + random.nextInt(26));
        int marks = 1 + random.nextInt(3);
        for (int i = 0; i < marks; i++) {
          text.appendCodePoint(pickRange(0x300, 0x36f, 0x591, 0x5bd, 0x610, 0x61a, 0x1ab0, 0x1aff, 0x20d0, 0x20f0,
              0x1d165, 0x1d169, 0x1d16d, 0x1d172, 0x0f71, 0x0f84, 0x302a, 0x302f, 0x16ff0, 0x16ff1));
        }
      }
      case 3 -> appendRange(text, 0xc0, 0x24f, 1 + random.nextInt(6));
      case 4 -> appendRange(text, 0x1e00, 0x1eff, 1 + random.nextInt(4));
      case 5 -> text.appendCodePoint(pickRange(0x4e00, 0x9fff, 0x3400, 0x4dbf, 0x20000, 0x2a6df, 0xf900, 0xfaff,
          0x2f800, 0x2fa1f, 0x2b740, 0x2b81f, 0x2ceb0, 0x2ebe0, 0x30000, 0x3134a));
      case 6 -> appendRange(text, 0xac00, 0xd7a3, 1 + random.nextInt(4));
      case 7 -> {
        text.appendCodePoint(pickRange(0x1f300, 0x1faff, 0x2600, 0x27bf));
        if (random.nextBoolean()) {
          text.append(random.nextBoolean() ? "\u200d" : "\ufe0f");
          text.appendCodePoint(pickRange(0x1f300, 0x1f6ff));
        }
      }
      case 8 -> text.appendCodePoint(pickRange(0x0, 0x1f, 0x7f, 0x9f, 0x200b, 0x200f, 0xfeff, 0xfeff, 0xe000, 0xe00f,
          0xfffd, 0xfffd, 0xe0001, 0xe007f, 0xfff0, 0xfffb));
      case 9 -> {
        int length = 95 + random.nextInt(12);
        for (int i = 0; i < length; i++) {
          text.appendCodePoint(random.nextInt(5) == 0 ? 'é' : 'a' + random.nextInt(26));
        }
      }
      case 10 -> {
        int cp;
        do {
          cp = random.nextInt(Character.MAX_CODE_POINT + 1);
        } while (Character.getType(cp) == Character.SURROGATE);
        text.appendCodePoint(cp);
      }
      case 11 -> appendRange(text, 0x21, 0x2f, 1 + random.nextInt(3));
      case 12 -> appendRange(text, pickRange(0x391, 0x3c9, 0x410, 0x44f, 0x621, 0x64a, 0x905, 0x939, 0xe01, 0xe2e,
          0x5d0, 0x5ea), 1 + random.nextInt(6));
      default -> {
        int length = 1 + random.nextInt(10);
        for (int i = 0; i < length; i++) {
          int kind = random.nextInt(3);
          text.append((char) (kind == 0 ? 'a' + random.nextInt(26) : kind == 1 ? 'A' + random.nextInt(26) : '0' + random.nextInt(10)));
        }
      }
    }
  }

  private void appendRange(StringBuilder text, int from, int to, int count) {
    for (int i = 0; i < count; i++) {
      text.appendCodePoint(from + random.nextInt(to - from + 1));
    }
  }

  private void appendRange(StringBuilder text, int cp, int count) {
    for (int i = 0; i < count; i++) {
      text.appendCodePoint(cp + random.nextInt(20));
    }
  }

  /** A code point from one of the inclusive ranges given as (from, to) pairs. */
  private int pickRange(int... bounds) {
    int r = 2 * random.nextInt(bounds.length / 2);
    return bounds[r] + random.nextInt(bounds[r + 1] - bounds[r] + 1);
  }

  private <T> T pick(List<T> items) {
    return items.get(random.nextInt(items.size()));
  }
}
