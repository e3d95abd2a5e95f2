package dev.jtransformers.tokenizer.wordpiece;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jtransformers.api.BatchEncoding;
import dev.jtransformers.api.EncodeOptions;
import dev.jtransformers.api.EncodeOptions.Padding;
import dev.jtransformers.api.EncodeOptions.Side;
import dev.jtransformers.api.EncodeOptions.Truncation;
import dev.jtransformers.api.Encoding;
import dev.jtransformers.api.InvalidInputException;
import dev.jtransformers.api.TextInput;
import dev.jtransformers.tokenizer.ComposedTokenizer;
import dev.jtransformers.tokenizer.Tokenizers;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Our tokenizer against Hugging Face's Rust tokenizer (through DJL's JNI binding, same JVM, same tokenizer.json)
 * on seeded random texts, in every mode: single texts and pairs, truncation strategies and sides with overflow
 * windows, padding, no special tokens, decoding, and variations of the configuration.
 */
class RustDifferentialTest {
  private static final int TEXTS = 400;

  @Test
  void singleTextsAndPairsMatch() {
    ObjectNode json = Fixtures.minilmTree();
    compare(json, EncodeOptions.DEFAULT, false, 1, 3 * TEXTS);
    compare(json, EncodeOptions.DEFAULT, true, 2, TEXTS);
    EncodeOptions noSpecial = EncodeOptions.builder().addSpecialTokens(false).build();
    compare(json, noSpecial, false, 3, TEXTS);
    compare(json, noSpecial, true, 4, TEXTS);
  }

  static Stream<Arguments> truncations() {
    List<Arguments> modes = new ArrayList<>();
    for (Truncation strategy : List.of(Truncation.LONGEST_FIRST, Truncation.ONLY_FIRST, Truncation.ONLY_SECOND)) {
      for (Side side : Side.values()) {
        for (int stride : new int[] {0, 2}) {
          for (int maxLength : new int[] {9, 24}) {
            modes.add(Arguments.of(strategy, side, stride, maxLength));
          }
        }
      }
    }
    return modes.stream();
  }

  @ParameterizedTest(name = "{0} {1} stride {2} max {3}")
  @MethodSource("truncations")
  void truncationWithOverflowMatches(Truncation strategy, Side side, int stride, int maxLength) {
    EncodeOptions options =
        EncodeOptions.builder().truncation(strategy).truncationSide(side).stride(stride).maxLength(maxLength).build();
    ObjectNode json = Fixtures.minilmTree();
    long seed = strategy.ordinal() * 100L + side.ordinal() * 10L + stride + maxLength;
    compare(json, options, false, seed, TEXTS / 8);
    compare(json, options, true, seed + 1, TEXTS / 4);
    compare(json, options.toBuilder().addSpecialTokens(false).build(), true, seed + 2, TEXTS / 8);
  }

  static Stream<Arguments> paddings() {
    return Stream.of(
        Arguments.of(Padding.LONGEST, Side.RIGHT, 0, false),
        Arguments.of(Padding.LONGEST, Side.LEFT, 0, true),
        Arguments.of(Padding.LONGEST, Side.RIGHT, 8, true),
        Arguments.of(Padding.MAX_LENGTH, Side.RIGHT, 0, false),
        Arguments.of(Padding.MAX_LENGTH, Side.LEFT, 0, true),
        Arguments.of(Padding.MAX_LENGTH, Side.LEFT, 16, false));
  }

  @ParameterizedTest(name = "{0} {1} multiple of {2}, pairs {3}")
  @MethodSource("paddings")
  void paddedBatchesMatch(Padding padding, Side side, int multiple, boolean pairs) {
    EncodeOptions options = EncodeOptions.builder()
        .padding(padding)
        .paddingSide(side)
        .padToMultipleOf(multiple)
        .maxLength(40)
        .truncation(Truncation.LONGEST_FIRST)
        .stride(1)
        .build();
    ObjectNode json = Fixtures.minilmTree();
    setPadding(json, options);
    setTruncation(json, options);
    ComposedTokenizer ours = load(json);
    RandomTexts texts = new RandomTexts(padding.ordinal() * 31L + side.ordinal() * 7L + multiple);
    try (RustTokenizer rust = RustTokenizer.fromJson(json.toString())) {
      for (int b = 0; b < 20; b++) {
        int size = 1 + texts.nextInt(8);
        String[] first = new String[size];
        String[] second = pairs ? new String[size] : null;
        List<TextInput> inputs = new ArrayList<>();
        for (int i = 0; i < size; i++) {
          first[i] = texts.next();
          if (pairs) {
            second[i] = texts.next();
          }
          inputs.add(new TextInput(first[i], pairs ? second[i] : null));
        }
        BatchEncoding batch = ours.encodeBatch(inputs, options);
        List<RustTokenizer.Result> expected = rust.encodeBatch(first, second, true);
        for (int i = 0; i < size; i++) {
          assertSame(first[i], pairs ? second[i] : null, expected.get(i), batch.get(i), true);
        }
      }
    }
  }

  @Test
  void textsWithLoneSurrogatesMatchAsDjlPassesThem() {
    ObjectNode json = Fixtures.minilmTree();
    json.putNull("padding");
    json.putNull("truncation");
    ComposedTokenizer ours = load(json);
    RandomTexts texts = new RandomTexts(99);
    try (RustTokenizer rust = RustTokenizer.fromJson(json.toString())) {
      for (int i = 0; i < TEXTS; i++) {
        String text = texts.withLoneSurrogate();
        Encoding actual = ours.encode(text);
        assertSame(text, null, rust.encode(text, null, true), actual, false);
        for (int[] span : actual.offsets()) {
          assertTrue(0 <= span[0] && span[0] <= span[1] && span[1] <= text.length(), "offsets within the text");
        }
      }
    }
  }

  @Test
  void decodingMatches() {
    ObjectNode json = Fixtures.minilmTree();
    ComposedTokenizer ours = load(json);
    RandomTexts texts = new RandomTexts(7);
    try (RustTokenizer rust = RustTokenizer.fromJson(json.toString())) {
      for (int i = 0; i < TEXTS; i++) {
        int[] ids = ours.encode(texts.next(), texts.next()).ids();
        if (i % 3 == 0) {
          for (int k = 0; k < ids.length; k++) {
            ids[k] = texts.nextInt(ours.vocabSize());
          }
        }
        for (boolean skip : new boolean[] {false, true}) {
          assertEquals(rust.decode(ids, skip), ours.decode(ids, skip, false), "decode of " + Arrays.toString(ids));
        }
      }
    }
  }

  static Stream<Arguments> configurations() {
    return Stream.of(
        Arguments.of("cased", "{\"normalizer\":{\"type\":\"BertNormalizer\",\"clean_text\":true,"
            + "\"handle_chinese_chars\":true,\"strip_accents\":null,\"lowercase\":false}}"),
        Arguments.of("strip accents only", "{\"normalizer\":{\"type\":\"BertNormalizer\",\"clean_text\":true,"
            + "\"handle_chinese_chars\":true,\"strip_accents\":true,\"lowercase\":false}}"),
        Arguments.of("lowercase keeps accents", "{\"normalizer\":{\"type\":\"BertNormalizer\",\"clean_text\":false,"
            + "\"handle_chinese_chars\":false,\"strip_accents\":false,\"lowercase\":true}}"),
        Arguments.of("no normalizer, whitespace split", "{\"normalizer\":null,"
            + "\"pre_tokenizer\":{\"type\":\"WhitespaceSplit\"}}"),
        Arguments.of("sequences", "{\"normalizer\":{\"type\":\"Sequence\",\"normalizers\":[{\"type\":\"BertNormalizer\","
            + "\"clean_text\":true,\"handle_chinese_chars\":false,\"strip_accents\":false,\"lowercase\":false},"
            + "{\"type\":\"Lowercase\"}]},\"pre_tokenizer\":{\"type\":\"Sequence\",\"pretokenizers\":["
            + "{\"type\":\"WhitespaceSplit\"},{\"type\":\"BertPreTokenizer\"}]}}"),
        Arguments.of("no pre-tokenizer, no post-processor, no decoder",
            "{\"pre_tokenizer\":null,\"post_processor\":null,\"decoder\":null}"),
        Arguments.of("BertProcessing", "{\"post_processor\":{\"type\":\"BertProcessing\",\"sep\":[\"[SEP]\",102],"
            + "\"cls\":[\"[CLS]\",101]}}"),
        Arguments.of("added tokens with flags", "{\"added_tokens\":["
            + "{\"id\":0,\"content\":\"[PAD]\",\"single_word\":false,\"lstrip\":false,\"rstrip\":false,\"normalized\":false,\"special\":true},"
            + "{\"id\":100,\"content\":\"[UNK]\",\"single_word\":false,\"lstrip\":false,\"rstrip\":false,\"normalized\":false,\"special\":true},"
            + "{\"id\":101,\"content\":\"[CLS]\",\"single_word\":false,\"lstrip\":false,\"rstrip\":false,\"normalized\":false,\"special\":true},"
            + "{\"id\":102,\"content\":\"[SEP]\",\"single_word\":false,\"lstrip\":false,\"rstrip\":true,\"normalized\":false,\"special\":true},"
            + "{\"id\":103,\"content\":\"[MASK]\",\"single_word\":false,\"lstrip\":true,\"rstrip\":false,\"normalized\":false,\"special\":true},"
            + "{\"id\":30522,\"content\":\"ing\",\"single_word\":true,\"lstrip\":false,\"rstrip\":false,\"normalized\":false,\"special\":false},"
            + "{\"id\":30523,\"content\":\"Straße\",\"single_word\":false,\"lstrip\":true,\"rstrip\":true,\"normalized\":true,\"special\":false},"
            + "{\"id\":30524,\"content\":\"ÉTÉ\",\"single_word\":true,\"lstrip\":false,\"rstrip\":false,\"normalized\":true,\"special\":false},"
            + "{\"id\":30525,\"content\":\"a\",\"single_word\":true,\"lstrip\":false,\"rstrip\":false,\"normalized\":true,\"special\":false}]}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("configurations")
  void configurationVariantsMatch(String name, String changes) throws Exception {
    ObjectNode json = Fixtures.minilmTree();
    json.setAll((ObjectNode) Fixtures.JSON.readTree(changes));
    long seed = name.hashCode();
    compare(json, EncodeOptions.DEFAULT, false, seed, TEXTS);
    compare(json, EncodeOptions.DEFAULT, true, seed + 1, TEXTS / 4);
    EncodeOptions truncating =
        EncodeOptions.builder().truncation(Truncation.LONGEST_FIRST).maxLength(16).stride(2).build();
    compare(json, truncating, true, seed + 2, TEXTS / 4);
    ComposedTokenizer ours = load(json);
    RandomTexts texts = new RandomTexts(seed + 3);
    try (RustTokenizer rust = RustTokenizer.fromJson(json.toString())) {
      for (int i = 0; i < TEXTS / 4; i++) {
        int[] ids = ours.encode(texts.next()).ids();
        assertEquals(rust.decode(ids, true), ours.decode(ids, true, false));
      }
    }
  }

  /** Encodes {@code count} random texts (or pairs) one by one with both tokenizers and compares everything. */
  private static void compare(ObjectNode json, EncodeOptions options, boolean pairs, long seed, int count) {
    setTruncation(json, options);
    json.putNull("padding");
    ComposedTokenizer ours = load(json);
    RandomTexts texts = new RandomTexts(seed);
    int compared = 0;
    try (RustTokenizer rust = RustTokenizer.fromJson(json.toString())) {
      for (int i = 0; i < count; i++) {
        String text = texts.next();
        String pair = pairs ? texts.next() : null;
        TextInput input = new TextInput(text, pair);
        Encoding actual;
        try {
          actual = ours.encode(input, options);
        } catch (InvalidInputException e) {
          // Rust refuses these too (an error, not a crash): the text to truncate is too short.
          assertThrows(RuntimeException.class, () -> rust.encode(text, pair, options.addSpecialTokens()));
          compared++;
          continue;
        } catch (IllegalArgumentException e) {
          // A stride as long as a window: Rust panics here (and would take the JVM down), so only we answer.
          assertTrue(e.getMessage().contains("stride"), e.getMessage());
          continue;
        }
        assertSame(text, pair, rust.encode(text, pair, options.addSpecialTokens()), actual, true);
        compared++;
      }
    }
    assertTrue(compared > count / 2, "too few inputs compared: " + compared + " of " + count);
  }

  private static ComposedTokenizer load(ObjectNode json) {
    return Tokenizers.load(new ByteArrayInputStream(json.toString().getBytes(StandardCharsets.UTF_8)));
  }

  private static void setTruncation(ObjectNode json, EncodeOptions options) {
    if (options.truncation() == Truncation.NONE) {
      json.putNull("truncation");
      return;
    }
    ObjectNode t = json.putObject("truncation");
    t.put("direction", options.truncationSide() == Side.LEFT ? "Left" : "Right");
    t.put("max_length", options.maxLength());
    t.put("strategy", switch (options.truncation()) {
      case LONGEST_FIRST -> "LongestFirst";
      case ONLY_FIRST -> "OnlyFirst";
      default -> "OnlySecond";
    });
    t.put("stride", options.stride());
  }

  private static void setPadding(ObjectNode json, EncodeOptions options) {
    ObjectNode p = json.putObject("padding");
    if (options.padding() == Padding.MAX_LENGTH) {
      p.putObject("strategy").put("Fixed", options.maxLength());
    } else {
      p.put("strategy", "BatchLongest");
    }
    p.put("direction", options.paddingSide() == Side.LEFT ? "Left" : "Right");
    if (options.padToMultipleOf() > 0) {
      p.put("pad_to_multiple_of", options.padToMultipleOf());
    } else {
      p.putNull("pad_to_multiple_of");
    }
    p.put("pad_id", 0);
    p.put("pad_type_id", 0);
    p.put("pad_token", "[PAD]");
  }

  /**
   * Compares every field, overflowing windows recursively. Rust's offsets count code points of the text each
   * token comes from (the pair's for type id 1); ours are UTF-16 indices.
   */
  static void assertSame(String text, String pair, RustTokenizer.Result expected, Encoding actual, boolean offsets) {
    String where = "text " + quote(text) + (pair == null ? "" : " pair " + quote(pair));
    assertEquals(List.of(expected.tokens()), actual.tokens(), where);
    assertArrayEquals(expected.ids(), actual.ids(), where);
    assertArrayEquals(expected.typeIds(), actual.typeIds(), where);
    assertArrayEquals(expected.specialTokensMask(), actual.specialTokensMask(), where);
    assertArrayEquals(expected.attentionMask(), actual.attentionMask(), where);
    assertArrayEquals(expected.wordIds(), actual.wordIds(), where);
    if (offsets) {
      int[][] spans = actual.offsets();
      int[] typeIds = actual.typeIds();
      for (int i = 0; i < spans.length; i++) {
        String source = typeIds[i] == 1 && pair != null ? pair : text;
        int[] utf16 = {
          SharedReferenceTest.toUtf16(source, expected.offsets()[2 * i]),
          SharedReferenceTest.toUtf16(source, expected.offsets()[2 * i + 1])
        };
        assertArrayEquals(utf16, spans[i], where + " offsets of token " + i + " " + actual.tokens().get(i));
      }
    }
    assertEquals(expected.overflowing().size(), actual.overflowing().size(), where + " overflowing windows");
    for (int i = 0; i < expected.overflowing().size(); i++) {
      assertSame(text, pair, expected.overflowing().get(i), actual.overflowing().get(i), offsets);
    }
  }

  private static String quote(String s) {
    StringBuilder out = new StringBuilder("\"");
    s.codePoints().forEach(cp -> {
      if (cp < 0x20 || cp > 0x7e) {
        out.append(String.format("\\u{%x}", cp));
      } else {
        out.appendCodePoint(cp);
      }
    });
    return out.append('"').toString();
  }
}
