package dev.jtransformers.tokenizer.wordpiece;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jtransformers.api.BatchEncoding;
import dev.jtransformers.api.EncodeOptions;
import dev.jtransformers.api.EncodeOptions.Padding;
import dev.jtransformers.api.Encoding;
import dev.jtransformers.api.TextInput;
import dev.jtransformers.tokenizer.ComposedTokenizer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The course's seed sentences, with the MiniLM tokenizer that ships in a Maven artifact (no ../shared needed). */
class SeedsTest {
  private static final String WAITING = "I've been waiting for a HuggingFace course my whole life.";
  private static final String HATE = "I hate this so much!";
  private final ComposedTokenizer tokenizer = Fixtures.minilm();

  @Test
  void encodesTheSeedSentence() {
    Encoding e = tokenizer.encode(WAITING);
    assertArrayEquals(
        new int[] {101, 1045, 1005, 2310, 2042, 3403, 2005, 1037, 17662, 12172, 2607, 2026, 2878, 2166, 1012, 102},
        e.ids());
    assertEquals(
        List.of("[CLS]", "i", "'", "ve", "been", "waiting", "for", "a", "hugging", "##face", "course", "my",
            "whole", "life", ".", "[SEP]"),
        e.tokens());
    assertArrayEquals(new int[] {24, 31}, e.offsets()[8]);
    assertEquals("hugging", WAITING.substring(24, 31).toLowerCase());
    assertArrayEquals(new int[] {1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, e.specialTokensMask());
  }

  @Test
  void padsABatchWithZeros() {
    BatchEncoding batch = tokenizer.encodeBatch(
        List.of(TextInput.of(WAITING), TextInput.of(HATE)), EncodeOptions.builder().padding(Padding.LONGEST).build());
    assertEquals(16, batch.sequenceLength());
    assertArrayEquals(
        new long[] {101, 1045, 5223, 2023, 2061, 2172, 999, 102, 0, 0, 0, 0, 0, 0, 0, 0}, batch.inputIds()[1]);
    assertArrayEquals(new long[] {1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0}, batch.attentionMask()[1]);
    assertEquals(List.of("[PAD]"), batch.get(1).tokens().subList(15, 16));
  }

  @Test
  void encodesASentencePair() {
    Encoding e = tokenizer.encode("This is the first sentence.", "This is the second one.");
    assertArrayEquals(
        new int[] {101, 2023, 2003, 1996, 2034, 6251, 1012, 102, 2023, 2003, 1996, 2117, 2028, 1012, 102}, e.ids());
    assertArrayEquals(new int[] {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1}, e.typeIds());
    assertArrayEquals(new int[] {0, 4}, e.offsets()[8], "offsets of the second text index into it");
  }

  @Test
  void decodesBackToText() {
    int[] ids = tokenizer.encode(WAITING).ids();
    // The course's text, cleaned up as transformers 4.x did by default; 4.45 and later (5.x) clean up only when
    // tokenizer_config.json asks, and this tokenizer has none.
    assertEquals("i've been waiting for a huggingface course my whole life.", tokenizer.decode(ids, true, true));
    assertEquals("i ' ve been waiting for a huggingface course my whole life.", tokenizer.decode(ids, true));
    assertEquals(
        "[CLS] i ' ve been waiting for a huggingface course my whole life. [SEP]", tokenizer.decode(ids, false, false));
  }

  @Test
  void tokenizesWithoutSpecialTokens() {
    assertEquals(List.of("i", "hate", "this", "so", "much", "!"), tokenizer.tokenize(HATE));
    assertArrayEquals(new int[] {1045, 5223, 100}, tokenizer.convertTokensToIds(List.of("i", "hate", "no-such-token")));
    assertEquals(List.of("[CLS]", "hate"), tokenizer.convertIdsToTokens(new int[] {101, 5223}));
    assertEquals(30522, tokenizer.vocabSize());
    assertEquals(0, tokenizer.padTokenId());
  }
}
