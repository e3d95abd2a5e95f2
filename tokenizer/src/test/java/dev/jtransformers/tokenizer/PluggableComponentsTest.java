package dev.jtransformers.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jtransformers.api.BatchEncoding;
import dev.jtransformers.api.EncodeOptions;
import dev.jtransformers.api.EncodeOptions.Padding;
import dev.jtransformers.api.EncodeOptions.Truncation;
import dev.jtransformers.api.Encoding;
import dev.jtransformers.api.TextInput;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Components that no main file knows — a model that is not WordPiece and a normalizer, registered in this module's
 * test {@code META-INF/services} — load from a {@code tokenizer.json} beside the built-in ones, and the core's
 * truncation and padding work on their tokens. Unknown types and broken factories are reported by name.
 */
class PluggableComponentsTest {
  private static final String TOKENIZER_JSON = """
      {
        "added_tokens": [
          {"id": 0, "content": "[PAD]", "special": true, "normalized": false},
          {"id": 1, "content": "[CLS]", "special": true, "normalized": false},
          {"id": 2, "content": "[SEP]", "special": true, "normalized": false}
        ],
        "normalizer": {"type": "Sequence", "normalizers": [{"type": "TestStripDigits"}, {"type": "Lowercase"}]},
        "pre_tokenizer": {"type": "WhitespaceSplit"},
        "post_processor": {
          "type": "TemplateProcessing",
          "single": [{"SpecialToken": {"id": "[CLS]"}}, {"Sequence": {"id": "A"}}, {"SpecialToken": {"id": "[SEP]"}}],
          "pair": [{"SpecialToken": {"id": "[CLS]"}}, {"Sequence": {"id": "A"}}, {"SpecialToken": {"id": "[SEP]"}},
                   {"Sequence": {"id": "B", "type_id": 1}}, {"SpecialToken": {"id": "[SEP]", "type_id": 1}}],
          "special_tokens": {"[CLS]": {"ids": [1], "tokens": ["[CLS]"]}, "[SEP]": {"ids": [2], "tokens": ["[SEP]"]}}
        },
        "padding": {"pad_token": "[PAD]"},
        "model": {
          "type": "TestWordLevel",
          "vocab": {"[PAD]": 0, "[CLS]": 1, "[SEP]": 2, "<unk>": 3, "hello": 4, "big": 5, "world": 6}
        }
      }
      """;

  private static InputStream stream(String json) {
    return new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8));
  }

  private static ObjectNode tree() throws IOException {
    return (ObjectNode) TokenizerLoader.JSON.readTree(TOKENIZER_JSON);
  }

  @Test
  void theRegistryHoldsTestComponentsBesideTheBuiltInOnes() {
    TokenizerComponents components = TokenizerComponents.discover();
    assertEquals(List.of("BertNormalizer", "Lowercase", "Sequence", "TestStripDigits"),
        List.copyOf(components.types(Stage.NORMALIZER)));
    assertEquals(List.of("TestWordLevel"), List.copyOf(components.types(Stage.MODEL)));
    assertEquals(List.of(), components.failures());
  }

  @Test
  void aTokenizerJsonUsingThemEncodesAndDecodes() {
    ComposedTokenizer tokenizer = Tokenizers.load(stream(TOKENIZER_JSON));
    String text = "Hello2 Big mars";
    Encoding encoding = tokenizer.encode(text);
    assertEquals(List.of("[CLS]", "hello", "big", "<unk>", "[SEP]"), encoding.tokens());
    assertArrayEquals(new int[] {1, 4, 5, 3, 2}, encoding.ids());
    assertEquals("Hello", text.substring(encoding.offsets()[1][0], encoding.offsets()[1][1]), "digit dropped");
    assertEquals("mars", text.substring(encoding.offsets()[3][0], encoding.offsets()[3][1]));
    assertEquals("hello big <unk>", tokenizer.decode(encoding.ids(), true), "no decoder: tokens joined by spaces");
    assertArrayEquals(new int[] {5, 3}, tokenizer.convertTokensToIds(List.of("big", "mars")));
    assertEquals(7, tokenizer.vocabSize());
    assertEquals(0, tokenizer.padTokenId());
  }

  @Test
  void truncationAndPaddingWorkOnAnyModelsTokens() {
    ComposedTokenizer tokenizer = Tokenizers.load(stream(TOKENIZER_JSON));
    EncodeOptions windows =
        EncodeOptions.builder().truncation(Truncation.LONGEST_FIRST).maxLength(5).stride(1).build();
    Encoding truncated = tokenizer.encode(TextInput.of("hello big world hello big"), windows);
    assertEquals(List.of("[CLS]", "hello", "big", "world", "[SEP]"), truncated.tokens());
    assertEquals(1, truncated.overflowing().size());
    assertEquals(List.of("[CLS]", "world", "hello", "big", "[SEP]"), truncated.overflowing().get(0).tokens());

    BatchEncoding batch = tokenizer.encodeBatch(List.of(TextInput.of("hello"), TextInput.pair("big", "world")),
        EncodeOptions.builder().padding(Padding.LONGEST).build());
    assertArrayEquals(new long[] {1, 4, 2, 0, 0}, batch.inputIds()[0]);
    assertArrayEquals(new long[] {1, 1, 1, 0, 0}, batch.attentionMask()[0]);
    assertArrayEquals(new long[] {0, 0, 0, 1, 1}, batch.tokenTypeIds()[1]);
  }

  @Test
  void anUnknownTypeNamesTheStageTheTypeAndTheKnownTypes() throws IOException {
    ObjectNode json = tree();
    json.putObject("pre_tokenizer").put("type", "Metaspace");
    UnknownComponentException e =
        assertThrows(UnknownComponentException.class, () -> Tokenizers.load(stream(json.toString())));
    assertEquals("pre_tokenizer", e.stage());
    assertEquals("Metaspace", e.type());
    assertEquals(List.of("BertPreTokenizer", "Sequence", "WhitespaceSplit"), e.knownTypes());
    assertTrue(e.getMessage().startsWith("tokenizer.json stream (pre_tokenizer): pre_tokenizer type Metaspace is not"
        + " supported; known pre_tokenizer types: [BertPreTokenizer, Sequence, WhitespaceSplit]"), e.getMessage());

    ObjectNode nested = tree();
    nested.putObject("normalizer").put("type", "Sequence").putArray("normalizers").addObject().put("type", "NFKC");
    String message = assertThrows(UnknownComponentException.class, () -> Tokenizers.load(stream(nested.toString())))
        .getMessage();
    assertTrue(message.contains("(normalizer.normalizers[0]): normalizer type NFKC"), message);
  }

  @Test
  void aFactoryThatFailsToLoadIsNamedInTheError(@TempDir Path jar) throws IOException {
    Path services = Files.createDirectories(jar.resolve("META-INF/services"));
    Files.writeString(services.resolve(ComponentFactory.class.getName()), "com.example.MissingNormalizerFactory\n");
    try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, getClass().getClassLoader())) {
      TokenizerComponents components = TokenizerComponents.discover(loader);
      assertEquals(1, components.failures().size(), components.failures().toString());
      ObjectNode json = tree();
      json.putObject("normalizer").put("type", "Missing");
      String message = assertThrows(UnknownComponentException.class,
          () -> Tokenizers.load(stream(json.toString()), components)).getMessage();
      assertTrue(message.contains("failed to load") && message.contains("com.example.MissingNormalizerFactory"),
          message);
      assertEquals(List.of("TestWordLevel"), List.copyOf(components.types(Stage.MODEL)), "the others still load");
    }
  }
}
