package dev.jtransformers.tokenizer.normalizers;

import static dev.jtransformers.tokenizer.CharacterTables.CHINESE;
import static dev.jtransformers.tokenizer.CharacterTables.CONTROL;
import static dev.jtransformers.tokenizer.CharacterTables.DECOMPOSES;
import static dev.jtransformers.tokenizer.CharacterTables.NONSPACING_MARK;
import static dev.jtransformers.tokenizer.CharacterTables.NON_STARTER;
import static dev.jtransformers.tokenizer.CharacterTables.WHITESPACE;

import dev.jtransformers.tokenizer.CharacterTables;
import dev.jtransformers.tokenizer.ComponentFactory;
import dev.jtransformers.tokenizer.ConfigSection;
import dev.jtransformers.tokenizer.NormalizedText;
import dev.jtransformers.tokenizer.Normalizer;
import dev.jtransformers.tokenizer.Stage;
import java.util.Arrays;

/**
 * BERT's normaliser ({@code "type": "BertNormalizer"}), step by step as Hugging Face applies it: remove control
 * characters and turn whitespace into spaces ({@code clean_text}); put spaces around CJK ideographs
 * ({@code handle_chinese_chars}); decompose (NFD) and drop non-spacing marks ({@code strip_accents}, which
 * follows {@code lowercase} when unset); lowercase.
 *
 * @param stripAccents {@code null} to follow {@code lowercase}, as in {@code tokenizer.json}
 */
public record BertNormalizer(boolean cleanText, boolean handleChineseChars, Boolean stripAccents, boolean lowercase)
    implements Normalizer {

  /**
   * Reads {@code {"type": "BertNormalizer", "clean_text", "handle_chinese_chars", "strip_accents", "lowercase"}},
   * each option defaulting as in BERT: {@code true}, {@code true}, unset, {@code true}.
   */
  public static final class Factory extends ComponentFactory<Normalizer> {
    public Factory() {
      super(Stage.NORMALIZER, "BertNormalizer");
    }

    @Override
    public Normalizer create(ConfigSection config) {
      return new BertNormalizer(
          config.bool("clean_text", true),
          config.bool("handle_chinese_chars", true),
          config.optionalBool("strip_accents").orElse(null),
          config.bool("lowercase", true));
    }
  }

  private boolean strips() {
    return stripAccents != null ? stripAccents : lowercase;
  }

  @Override
  public NormalizedText normalize(NormalizedText text) {
    NormalizedText cleaned = cleanText || handleChineseChars ? cleanAndSpace(text) : text;
    if (strips()) {
      return stripAccentsAndLowercase(decompose(cleaned));
    }
    if (lowercase) {
      return new LowercaseNormalizer().normalize(cleaned);
    }
    return cleaned == text ? text.slice(0, text.length()) : cleaned;
  }

  private NormalizedText cleanAndSpace(NormalizedText text) {
    NormalizedText out = new NormalizedText(text.length() + 8);
    for (int i = 0; i < text.length(); i++) {
      int cp = text.codePoint(i);
      int flags = CharacterTables.flags(cp);
      int start = text.start(i);
      int end = text.end(i);
      if (cleanText) {
        if (cp == 0 || cp == 0xFFFD || (flags & CONTROL) != 0) {
          continue;
        }
        if ((flags & WHITESPACE) != 0) {
          cp = ' ';
        }
      }
      if (handleChineseChars && (flags & CHINESE) != 0) {
        out.append(' ', start, end);
        out.append(cp, start, end);
        out.append(' ', start, end);
      } else {
        out.append(cp, start, end);
      }
    }
    return out;
  }

  /**
   * NFD of the whole text. Marks are put in canonical order; as in Rust, the alignments then follow the
   * positions: each code point that starts a decomposition takes the alignment of the next source code point,
   * the rest of a decomposition that of the previous one.
   */
  private static NormalizedText decompose(NormalizedText text) {
    NormalizedText out = new NormalizedText(text.length() + 8);
    boolean[] continuation = null;
    boolean unordered = false;
    int previousClass = 0;
    for (int i = 0; i < text.length(); i++) {
      int cp = text.codePoint(i);
      int[] parts = (CharacterTables.flags(cp) & DECOMPOSES) != 0 ? CharacterTables.decompositionOf(cp) : null;
      int count = parts == null ? 1 : parts.length;
      for (int k = 0; k < count; k++) {
        int part = parts == null ? cp : parts[k];
        int cls = CharacterTables.has(part, NON_STARTER) ? CharacterTables.combiningClass(part) : 0;
        unordered |= cls != 0 && previousClass > cls;
        previousClass = cls;
        if (k > 0) {
          if (continuation == null) {
            continuation = new boolean[text.length() * 4 + 8];
          }
          if (out.length() >= continuation.length) {
            continuation = Arrays.copyOf(continuation, out.length() * 2);
          }
          continuation[out.length()] = true;
        }
        out.append(part, text.start(i), text.end(i));
      }
    }
    if (unordered) {
      reorder(out, continuation == null ? new boolean[out.length()] : continuation, text);
    }
    return out;
  }

  /** Stable-sorts each run of non-starters by combining class, then realigns by position as Rust does. */
  private static void reorder(NormalizedText out, boolean[] continuation, NormalizedText source) {
    int n = out.length();
    for (int i = 1; i < n; i++) {
      for (int j = i; j > 0; j--) {
        int a = out.codePoint(j - 1);
        int b = out.codePoint(j);
        int ca = CharacterTables.has(a, NON_STARTER) ? CharacterTables.combiningClass(a) : 0;
        int cb = CharacterTables.has(b, NON_STARTER) ? CharacterTables.combiningClass(b) : 0;
        if (cb == 0 || ca <= cb) {
          break;
        }
        out.set(j - 1, b);
        out.set(j, a);
        boolean t = continuation[j - 1];
        continuation[j - 1] = continuation[j];
        continuation[j] = t;
      }
    }
    int consumed = 0;
    for (int i = 0; i < n; i++) {
      int s = continuation[i] ? consumed - 1 : consumed++;
      out.align(i, source.start(s), source.end(s));
    }
  }

  private NormalizedText stripAccentsAndLowercase(NormalizedText text) {
    NormalizedText out = new NormalizedText(text.length());
    for (int i = 0; i < text.length(); i++) {
      int cp = text.codePoint(i);
      if (CharacterTables.has(cp, NONSPACING_MARK)) {
        continue;
      }
      if (lowercase) {
        LowercaseNormalizer.appendLowercase(out, cp, text.start(i), text.end(i));
      } else {
        out.append(cp, text.start(i), text.end(i));
      }
    }
    return out;
  }
}
