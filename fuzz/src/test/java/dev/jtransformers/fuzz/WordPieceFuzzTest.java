package dev.jtransformers.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.jtransformers.api.EncodeOptions;
import dev.jtransformers.api.Encoding;
import dev.jtransformers.api.InvalidInputException;
import dev.jtransformers.api.TextInput;
import dev.jtransformers.tokenizer.ComposedTokenizer;
import dev.jtransformers.tokenizer.Tokenizers;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Any text, single or paired, with any truncation settings, through a BERT tokenizer: an encoding whose per-token
 * arrays agree and whose offsets lie inside the text, which decodes again; the only exceptions are the documented
 * ones for settings that can't hold the input ({@link IllegalArgumentException}, {@link InvalidInputException}).
 */
class WordPieceFuzzTest {
  private static final ComposedTokenizer TOKENIZER = load();

  @FuzzTest(maxDuration = "60s")
  void encodesAnyText(FuzzedDataProvider data) {
    boolean pair = data.consumeBoolean();
    boolean truncate = data.consumeBoolean();
    EncodeOptions.Builder options = EncodeOptions.builder().addSpecialTokens(data.consumeBoolean());
    if (truncate) {
      // The builder refuses a max_length of 0 at once (the first finding, kept in the corpus).
      options.maxLength(data.consumeInt(1, 64)).stride(data.consumeInt(0, 8))
          .truncation(data.pickValue(EncodeOptions.Truncation.values()));
    }
    String text = data.consumeString(2000);
    String second = data.consumeRemainingAsString();
    TextInput input = pair ? TextInput.pair(text, second) : TextInput.of(text + second);
    Encoding encoding;
    try {
      encoding = TOKENIZER.encode(input, options.build());
    } catch (IllegalArgumentException | InvalidInputException e) {
      return; // settings that can't hold this input: documented, and named in the message
    }
    int length = encoding.length();
    assertEquals(length, encoding.tokens().size());
    assertEquals(length, encoding.typeIds().length);
    assertEquals(length, encoding.attentionMask().length);
    assertEquals(length, encoding.offsets().length);
    int limit = input.isPair() ? Math.max(text.length(), second.length()) : input.text().length();
    for (int[] offset : encoding.offsets()) {
      assertTrue(0 <= offset[0] && offset[0] <= offset[1] && offset[1] <= limit, "offsets inside the text");
    }
    TOKENIZER.decode(encoding.ids(), true);
  }

  private static ComposedTokenizer load() {
    try (InputStream json = WordPieceFuzzTest.class.getResourceAsStream("/small-tokenizer.json")) {
      return Tokenizers.load(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
