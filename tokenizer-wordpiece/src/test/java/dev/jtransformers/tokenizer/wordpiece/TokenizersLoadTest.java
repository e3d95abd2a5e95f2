package dev.jtransformers.tokenizer.wordpiece;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jtransformers.api.EncodeOptions;
import dev.jtransformers.api.TextInput;
import dev.jtransformers.api.TokenizerException;
import dev.jtransformers.tokenizer.ComposedTokenizer;
import dev.jtransformers.tokenizer.Tokenizers;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading from files and streams, the older vocab.txt layout, and the errors for bad files and arguments. */
class TokenizersLoadTest {
  @TempDir Path dir;

  private static InputStream stream(String json) {
    return new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8));
  }

  private static String messageOf(String json) {
    return assertThrows(TokenizerException.class, () -> Tokenizers.load(stream(json))).getMessage();
  }

  @Test
  void loadsADirectoryWithItsTokenizerConfig() throws IOException {
    Files.writeString(dir.resolve("tokenizer.json"), Fixtures.minilmJson());
    Files.writeString(dir.resolve("tokenizer_config.json"),
        "{\"model_max_length\": 256, \"clean_up_tokenization_spaces\": false, \"pad_token\": {\"content\": \"[PAD]\"}}");
    ComposedTokenizer tokenizer = Tokenizers.load(dir);
    assertEquals(OptionalInt.of(256), tokenizer.modelMaxLength());
    assertFalse(tokenizer.cleanUpTokenizationSpaces());
    assertEquals("i ' m here.", tokenizer.decode(tokenizer.encode("I'm here.").ids(), true));
    assertEquals("i'm here.", tokenizer.decode(tokenizer.encode("I'm here.").ids(), true, true));
  }

  @Test
  void treatsPythonsHugeSentinelAsNoMaximum() throws IOException {
    Files.writeString(dir.resolve("tokenizer.json"), Fixtures.minilmJson());
    Files.writeString(dir.resolve("tokenizer_config.json"), "{\"model_max_length\": 1000000000000000019884624838656}");
    ComposedTokenizer tokenizer = Tokenizers.load(dir.resolve("tokenizer.json"));
    assertEquals(OptionalInt.empty(), tokenizer.modelMaxLength());
    assertFalse(tokenizer.cleanUpTokenizationSpaces(), "transformers' default since 4.45");
  }

  @Test
  void vocabTxtLayoutEncodesLikeTokenizerJson() throws IOException {
    Path shared = Fixtures.shared();
    Path model = shared.resolve("models/distilbert-base-uncased-finetuned-sst-2-english");
    for (String file : List.of("vocab.txt", "tokenizer_config.json", "special_tokens_map.json")) {
      Files.copy(model.resolve(file), dir.resolve(file));
    }
    ComposedTokenizer fromVocab = Tokenizers.load(dir);
    ComposedTokenizer fromJson = Tokenizers.load(model.resolve("tokenizer.json"));
    assertEquals(OptionalInt.of(512), fromVocab.modelMaxLength());
    assertEquals(fromJson.vocabSize(), fromVocab.vocabSize());
    RandomTexts texts = new RandomTexts(5);
    for (int i = 0; i < 300; i++) {
      TextInput input = new TextInput(texts.next(), i % 2 == 0 ? null : texts.next());
      assertEquals(fromJson.encode(input, EncodeOptions.DEFAULT), fromVocab.encode(input, EncodeOptions.DEFAULT));
    }
  }

  @Test
  void namesMissingFiles() {
    TokenizerException missingFile =
        assertThrows(TokenizerException.class, () -> Tokenizers.load(dir.resolve("nope.json")));
    assertTrue(missingFile.getMessage().contains("nope.json"), missingFile.getMessage());
    TokenizerException emptyDir = assertThrows(TokenizerException.class, () -> Tokenizers.load(dir));
    assertTrue(emptyDir.getMessage().contains("tokenizer.json") && emptyDir.getMessage().contains("vocab.txt"));
  }

  @Test
  void aFolderThatCannotBeReadSaysSoRatherThanHoldingNoTokenizer() throws IOException {
    Path model = Files.createDirectory(dir.resolve("locked"));
    Files.writeString(model.resolve("tokenizer.json"), Fixtures.minilmJson());
    assumeTrue(model.toFile().setExecutable(false, false) && model.toFile().setReadable(false, false));
    try {
      assumeFalse(Files.isReadable(model.resolve("tokenizer.json")), "permissions are not enforced (root)");
      TokenizerException e = assertThrows(TokenizerException.class, () -> Tokenizers.load(model));
      assertEquals("cannot read " + model.resolve("tokenizer.json") + ": permission denied", e.getMessage());
    } finally {
      model.toFile().setExecutable(true, false);
      model.toFile().setReadable(true, false);
    }
  }

  @Test
  void namesTheFileWithBadJson() throws IOException {
    Path file = dir.resolve("tokenizer.json");
    Files.writeString(file, "{\"model\": ");
    TokenizerException e = assertThrows(TokenizerException.class, () -> Tokenizers.load(file));
    assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("not valid JSON"), e.getMessage());
  }

  @Test
  void rejectsOtherModelsAndUnknownStages() {
    ObjectNode bpe = Fixtures.minilmTree();
    ((ObjectNode) bpe.get("model")).put("type", "BPE");
    assertTrue(messageOf(bpe.toString()).contains("model type BPE is not supported"));

    ObjectNode metaspace = Fixtures.minilmTree();
    metaspace.putObject("pre_tokenizer").put("type", "Metaspace");
    String message = messageOf(metaspace.toString());
    assertTrue(message.contains("pre_tokenizer type Metaspace is not supported"), message);

    ObjectNode nfkc = Fixtures.minilmTree();
    nfkc.putObject("normalizer").put("type", "NFKC");
    assertTrue(messageOf(nfkc.toString()).contains("normalizer type NFKC"));
  }

  @Test
  void rejectsMalformedSections() {
    ObjectNode noUnk = Fixtures.minilmTree();
    ((ObjectNode) noUnk.get("model")).put("unk_token", "<unk>");
    assertTrue(messageOf(noUnk.toString()).contains("unknown token <unk> is not in the vocabulary"));

    ObjectNode badVocab = Fixtures.minilmTree();
    ((ObjectNode) badVocab.get("model").get("vocab")).put("hello", "one");
    assertTrue(messageOf(badVocab.toString()).contains("id of hello is not an integer"));

    ObjectNode badTemplate = Fixtures.minilmTree();
    ((ObjectNode) badTemplate.get("post_processor")).remove("special_tokens");
    assertTrue(messageOf(badTemplate.toString()).contains("template uses special token [CLS]"));

    ObjectNode noModel = Fixtures.minilmTree();
    noModel.remove("model");
    assertTrue(messageOf(noModel.toString()).contains("missing \"model\""));
    assertTrue(messageOf("[1, 2]").contains("top level must be a JSON object"));
  }

  @Test
  void rejectsNullArgumentsByName() {
    ComposedTokenizer tokenizer = Fixtures.minilm();
    assertEquals("path", assertThrows(NullPointerException.class, () -> Tokenizers.load((Path) null)).getMessage());
    assertEquals("input", assertThrows(NullPointerException.class, () -> tokenizer.encode(null, EncodeOptions.DEFAULT)).getMessage());
    assertEquals("options", assertThrows(NullPointerException.class, () -> tokenizer.encode(TextInput.of("a"), null)).getMessage());
    assertEquals("text", assertThrows(NullPointerException.class, () -> tokenizer.encode((String) null)).getMessage());
    assertEquals("inputs[1]", assertThrows(NullPointerException.class,
        () -> tokenizer.encodeBatch(Arrays.asList(TextInput.of("a"), null), EncodeOptions.DEFAULT)).getMessage());
    assertEquals("ids", assertThrows(NullPointerException.class, () -> tokenizer.decode(null, true)).getMessage());
    assertEquals("tokens", assertThrows(NullPointerException.class, () -> tokenizer.convertTokensToIds(null)).getMessage());
  }

  @Test
  void rejectsBadArguments() {
    ComposedTokenizer tokenizer = Fixtures.minilm();
    assertThrows(IllegalArgumentException.class, () -> tokenizer.encodeBatch(List.of(), EncodeOptions.DEFAULT));
    assertThrows(IllegalArgumentException.class,
        () -> tokenizer.encodeBatch(List.of(TextInput.of("a"), TextInput.of("a b")), EncodeOptions.DEFAULT),
        "unpadded encodings of different lengths");
    assertThrows(IllegalArgumentException.class, () -> tokenizer.convertIdsToTokens(new int[] {30522}));
    assertThrows(IllegalArgumentException.class, () -> tokenizer.decode(new int[] {-1}, false));
    EncodeOptions tooShort = EncodeOptions.builder()
        .truncation(EncodeOptions.Truncation.LONGEST_FIRST).maxLength(2).build();
    assertThrows(IllegalArgumentException.class, () -> tokenizer.encode(TextInput.pair("a", "b"), tooShort));
    EncodeOptions strideTooLong = EncodeOptions.builder()
        .truncation(EncodeOptions.Truncation.LONGEST_FIRST).maxLength(8).stride(7).build();
    assertThrows(IllegalArgumentException.class, () -> tokenizer.encode(TextInput.of("a b c d e f g h i j"), strideTooLong));
  }
}
