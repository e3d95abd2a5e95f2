package dev.jtransformers.tokenizer.wordpiece;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtransformers.api.EncodeOptions;
import dev.jtransformers.api.Encoding;
import dev.jtransformers.api.TextInput;
import dev.jtransformers.tokenizer.ComposedTokenizer;
import dev.jtransformers.tokenizer.Tokenizers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Text nobody cleaned: every case encodes (the Rust tokenizer's results for the same characters are checked by
 * {@link CodePointSweepTest} and {@link RustDifferentialTest}); none throws from inside the tokenizer.
 */
class HostileTextTest {
  private static final ComposedTokenizer TOKENIZER = Fixtures.minilm();

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "\t\n\r  \u3000", "\u0000", "\u0000\u0001\u0007\u001b\u007f", "\u200b\u200d\ufeff"})
  void emptyWhitespaceAndControlOnlyTextsAreJustTheSpecialTokens(String text) {
    assertEquals(List.of("[CLS]", "[SEP]"), TOKENIZER.encode(text).tokens());
  }

  @Test
  void controlCharactersInsideTextAreDroppedAsBertDoes() {
    assertEquals(List.of("[CLS]", "ab", "cd", "[SEP]"), TOKENIZER.encode("a\u0000b c\u0007d").tokens());
  }

  @Test
  void rightToLeftAndCombiningMarkSoupEncodes() {
    String soup = "\u202e\u05e9\u05dc\u05d5\u05dd \u0627\u0644\u0633\u0644\u0627\u0645 "
        + "Z\u0351\u036b\u0343\u036a\u0302\u036b\u033d\u034f\u0334\u0319\u0324\u031e\u0349\u035a\u032f\u031e\u0320"
        + "a\u0300\u0301\u0302\u0303\u0304\u0305\u0306\u0307\u0308\u0309\u030a \u202c";
    Encoding encoding = TOKENIZER.encode(soup);
    assertTrue(encoding.length() > 2, encoding.tokens().toString());
    assertEquals("[CLS]", encoding.tokens().get(0));
    assertEquals("[SEP]", encoding.tokens().get(encoding.length() - 1));
    for (int[] offset : encoding.offsets()) {
      assertTrue(offset[0] <= offset[1] && offset[1] <= soup.length(), "offsets stay inside the text");
    }
  }

  @Test
  void loneSurrogatesEncodeWithoutError() {
    for (String text : List.of("\ud800", "a\udc00b", "\udbff\udbff x \udfff")) {
      Encoding encoding = TOKENIZER.encode(text);
      assertEquals("[CLS]", encoding.tokens().get(0), text);
    }
  }

  @Test
  void aMegabyteTextTruncatesToTheMaximumQuickly() {
    String megabyte = "lorem ipsum dolor sit amet ".repeat((1 << 20) / 27 + 1);
    EncodeOptions truncated =
        EncodeOptions.builder().truncation(EncodeOptions.Truncation.LONGEST_FIRST).maxLength(256).build();
    Encoding encoding = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> TOKENIZER.encode(
        TextInput.of(megabyte), truncated));
    assertEquals(256, encoding.length());
    assertEquals("[SEP]", encoding.tokens().get(255));
  }

  @Test
  void aCrlfVocabTxtLoadsAsPythonLoadsIt() throws IOException {
    Path model = Fixtures.shared().resolve("models/distilbert-base-uncased-finetuned-sst-2-english");
    for (String file : List.of("tokenizer_config.json", "special_tokens_map.json")) {
      Files.copy(model.resolve(file), dir.resolve(file));
    }
    String vocab = Files.readString(model.resolve("vocab.txt"));
    Files.writeString(dir.resolve("vocab.txt"), vocab.replace("\n", "\r\n"));
    ComposedTokenizer fromCrlf = Tokenizers.load(dir);
    ComposedTokenizer fromJson = Tokenizers.load(model.resolve("tokenizer.json"));
    assertEquals(fromJson.vocabSize(), fromCrlf.vocabSize());
    assertEquals(fromJson.encode("I hate this so much!"), fromCrlf.encode("I hate this so much!"));
  }

  @Test
  void maxLengthOneWithoutSpecialTokensKeepsOneToken() {
    EncodeOptions one = EncodeOptions.builder()
        .addSpecialTokens(false).truncation(EncodeOptions.Truncation.LONGEST_FIRST).maxLength(1).build();
    assertEquals(List.of("hello"), TOKENIZER.encode(TextInput.of("hello world"), one).tokens());
  }
}
