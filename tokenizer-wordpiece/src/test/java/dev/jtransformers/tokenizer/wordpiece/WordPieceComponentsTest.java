package dev.jtransformers.tokenizer.wordpiece;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jtransformers.tokenizer.NormalizedText;
import dev.jtransformers.tokenizer.TokenSequence;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The WordPiece model and decoder on their own, on small hand-made inputs. */
class WordPieceComponentsTest {

  @Test
  void wordPieceCutsGreedilyAndFallsBackToUnknown() {
    WordPieceModel model = new WordPieceModel(
        Map.of("[UNK]", 0, "un", 1, "##aff", 2, "##able", 3, "##a", 4, "unaff", 5), "[UNK]", "##", 9);
    assertEquals(List.of("unaff", "##able"), tokens(model, "unaffable"));
    assertEquals(List.of("[UNK]"), tokens(model, "unaffablea"), "longer than 9 code points");
    assertEquals(List.of("[UNK]"), tokens(model, "unx"), "no way to cut it");
    assertEquals(List.of("un", "##a"), tokens(model, "una"));
    assertThrows(IllegalArgumentException.class, () -> new WordPieceModel(Map.of("a", 0), "[UNK]", "##", 100));
  }

  private static List<String> tokens(WordPieceModel model, String word) {
    NormalizedText text = NormalizedText.of(word);
    TokenSequence out = new TokenSequence(4);
    model.tokenize(text, 0, text.length(), 0, out);
    return out.toEncoding().tokens();
  }

  @Test
  void wordPieceDecoderJoinsPiecesAndCleansUpTokenByToken() {
    WordPieceDecoder decoder = new WordPieceDecoder("##", true);
    assertEquals("hugging face, isn ' t it?",
        decoder.decode(List.of("hug", "##ging", "face", ",", "isn", "'", "t", "it", "?")));
    assertEquals("a#b .", new WordPieceDecoder("##", false).decode(List.of("a", "###b", ".")));
  }
}
