package dev.jtransformers.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jtransformers.api.EncodeOptions.Side;
import dev.jtransformers.api.Encoding;
import dev.jtransformers.tokenizer.normalizers.BertNormalizer;
import dev.jtransformers.tokenizer.pretokenizers.BertPreTokenizer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each stage on its own, on small hand-made inputs. */
class ComponentsTest {

  private static String alignments(NormalizedText text) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < text.length(); i++) {
      out.appendCodePoint(text.codePoint(i)).append(text.start(i)).append(text.end(i)).append(' ');
    }
    return out.toString().trim();
  }

  @Test
  void bertNormalizerKeepsEveryCharacterAlignedToItsSource() {
    BertNormalizer uncased = new BertNormalizer(true, true, null, true);
    // É decomposes and loses its accent; 中 gets spaces (aligned to it); \u0000 goes; \t becomes a space.
    assertEquals("e01 a12  23 中23  23 b34  56 c67",
        alignments(uncased.normalize(NormalizedText.of("Éa中b\u0000\tc"))));
    // Rust lowercases character by character: İ becomes i + combining dot, both aligned to İ.
    BertNormalizer lowercaseOnly = new BertNormalizer(false, false, false, true);
    assertEquals("i01 \u030701 σ12 σ23", alignments(lowercaseOnly.normalize(NormalizedText.of("İΣΣ"))));
    BertNormalizer cased = new BertNormalizer(true, true, null, false);
    assertEquals("É01", alignments(cased.normalize(NormalizedText.of("É"))));
  }

  @Test
  void textWithALoneSurrogateIsReadAsRustReceivesIt() {
    // Lenient decoding of modified UTF-8: three U+FFFD per surrogate unit (paired or not), two per U+0000.
    NormalizedText text = NormalizedText.of("a\uD800\u0000");
    assertEquals("a\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD", text.toString());
    assertEquals(1, text.start(1));
    assertEquals(3, text.end(5));
  }

  @Test
  void bertPreTokenizerSplitsOnWhitespaceAndIsolatesPunctuation() {
    NormalizedText text = NormalizedText.of("Hi, you\u3000there!!");
    Splits words = new Splits();
    new BertPreTokenizer().split(text, 0, text.length(), words);
    List<String> pieces = new ArrayList<>();
    for (int i = 0; i < words.size(); i++) {
      pieces.add(text.text(words.from(i), words.to(i)));
    }
    assertEquals(List.of("Hi", ",", "you", "there", "!", "!"), pieces);
  }

  @Test
  void addedTokensHonourStripAndSingleWordFlags() {
    AddedVocabulary added = new AddedVocabulary(List.of(
        new AddedToken(1, "[M]", false, true, true, false, true),
        new AddedToken(2, "ab", true, false, false, false, false)), null);
    NormalizedText text = NormalizedText.of("x  [M]  y ab xab");
    Splits pieces = new Splits();
    added.split(text, 0, text.length(), false, pieces);
    List<String> found = new ArrayList<>();
    for (int i = 0; i < pieces.size(); i++) {
      found.add(text.text(pieces.from(i), pieces.to(i)) + "/" + pieces.tag(i));
    }
    assertEquals(List.of("x/-1", "  [M]  /1", "y /-1", "ab/2", " xab/-1"), found);
  }

  @Test
  void truncationCutsOverlappingWindowsFromEitherSide() {
    assertEquals(List.of("0123", "3456", "6789"), windows(Side.RIGHT));
    assertEquals(List.of("6789", "3456", "0123"), windows(Side.LEFT));
  }

  private static List<String> windows(Side side) {
    TokenSequence sequence = new TokenSequence(10);
    for (int i = 0; i < 10; i++) {
      sequence.add(i, String.valueOf(i), i, i + 1, i);
    }
    sequence.truncate(4, 1, side);
    Encoding encoding = sequence.toEncoding();
    List<String> windows = new ArrayList<>();
    windows.add(String.join("", encoding.tokens()));
    encoding.overflowing().forEach(o -> windows.add(String.join("", o.tokens())));
    return windows;
  }
}
