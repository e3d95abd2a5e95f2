package dev.jtransformers.tokenizer.wordpiece;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jtransformers.api.TokenizerException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * Reads a tokenizer from Hugging Face files: a {@code tokenizer.json}, or the older {@code vocab.txt} with
 * {@code tokenizer_config.json} and {@code special_tokens_map.json}. Each stage is built from its JSON section by
 * its {@code "type"} through the registries below; every problem becomes a {@link TokenizerException} naming the
 * file and what is wrong.
 */
final class TokenizerLoader {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOKENIZER_JSON = "tokenizer.json";
  private static final String TOKENIZER_CONFIG = "tokenizer_config.json";
  private static final String SPECIAL_TOKENS_MAP = "special_tokens_map.json";
  private static final String VOCAB_TXT = "vocab.txt";
  /** Python's "no limit" sentinel for {@code model_max_length} is 1e30; anything this big means none. */
  private static final double NO_MAX_LENGTH = 1e6;

  private static final Map<String, Function<JsonNode, Normalizer>> NORMALIZERS = Map.of(
      "BertNormalizer", TokenizerLoader::bertNormalizer,
      "Lowercase", node -> new LowercaseNormalizer(),
      "Sequence", node -> new NormalizerSequence(list(node, "normalizers", TokenizerLoader::normalizer)));

  private static final Map<String, Function<JsonNode, PreTokenizer>> PRE_TOKENIZERS = Map.of(
      "BertPreTokenizer", node -> new BertPreTokenizer(),
      "WhitespaceSplit", node -> new WhitespaceSplitPreTokenizer(),
      "Sequence", node -> new PreTokenizerSequence(list(node, "pretokenizers", TokenizerLoader::preTokenizer)));

  private static final Map<String, Function<JsonNode, PostProcessor>> POST_PROCESSORS = Map.of(
      "TemplateProcessing", TokenizerLoader::templateProcessing,
      "BertProcessing", TokenizerLoader::bertProcessing);

  private static final Map<String, Function<JsonNode, Decoder>> DECODERS = Map.of(
      "WordPiece", node -> new WordPieceDecoder(text(node, "prefix", "##"), bool(node, "cleanup", true)));

  private TokenizerLoader() {}

  /** A configuration problem inside one section, before the file name is known. */
  private static final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ConfigException(String message) {
      super(message);
    }
  }

  static WordPieceTokenizer load(Path path) {
    if (Files.isDirectory(path)) {
      Path json = path.resolve(TOKENIZER_JSON);
      if (Files.isRegularFile(json)) {
        return fromTokenizerJson(json, path);
      }
      Path vocab = path.resolve(VOCAB_TXT);
      if (Files.isRegularFile(vocab)) {
        return fromVocabTxt(vocab, path);
      }
      throw new TokenizerException(
          "no tokenizer in " + path + ": expected " + TOKENIZER_JSON + " or " + VOCAB_TXT + " there");
    }
    if (!Files.exists(path)) {
      throw new TokenizerException("tokenizer file " + path + " does not exist");
    }
    return fromTokenizerJson(path, path.toAbsolutePath().getParent());
  }

  static WordPieceTokenizer load(InputStream tokenizerJson, String name) {
    JsonNode root;
    try {
      root = JSON.readTree(tokenizerJson);
    } catch (IOException e) {
      throw new TokenizerException(name + " is not valid JSON: " + e.getMessage(), e);
    }
    return fromTokenizerJson(root, name, JSON.createObjectNode());
  }

  private static WordPieceTokenizer fromTokenizerJson(Path json, Path directory) {
    return fromTokenizerJson(readJson(json), json.toString(), configOf(directory));
  }

  private static WordPieceTokenizer fromTokenizerJson(JsonNode root, String name, JsonNode config) {
    try {
      if (root == null || !root.isObject()) {
        throw new ConfigException("the top level must be a JSON object");
      }
      JsonNode modelNode = required(root, "model");
      String modelType = text(modelNode, "type", "WordPiece");
      if (!modelType.equals("WordPiece")) {
        throw new ConfigException(
            "model type " + modelType + " is not supported: this tokenizer implements WordPiece only");
      }
      WordPieceModel model = new WordPieceModel(
          vocab(required(modelNode, "vocab")),
          text(modelNode, "unk_token", "[UNK]"),
          text(modelNode, "continuing_subword_prefix", "##"),
          integer(modelNode, "max_input_chars_per_word", 100));
      Normalizer normalizer = optional(root, "normalizer", TokenizerLoader::normalizer);
      List<AddedToken> added = addedTokens(root.path("added_tokens"), model);
      String padFromJson = root.path("padding").path("pad_token").asText(null);
      return new WordPieceTokenizer(
          normalizer,
          optional(root, "pre_tokenizer", TokenizerLoader::preTokenizer),
          model,
          new AddedVocabulary(added, normalizer),
          orElse(optional(root, "post_processor", TokenizerLoader::postProcessor), PostProcessor.NONE),
          orElse(optional(root, "decoder", TokenizerLoader::decoder), Decoder.NONE),
          modelMaxLength(config),
          bool(config, "clean_up_tokenization_spaces", true),
          orElse(tokenText(config.get("pad_token")), padFromJson));
    } catch (ConfigException | IllegalArgumentException e) {
      throw new TokenizerException(name + ": " + e.getMessage(), e);
    }
  }

  /** The older layout: a vocabulary file and the settings of Python's BertTokenizer, as transformers converts it. */
  private static WordPieceTokenizer fromVocabTxt(Path vocabFile, Path directory) {
    JsonNode config = configOf(directory);
    Map<String, Integer> vocab = new LinkedHashMap<>();
    try {
      // Python's load_vocab: one token per line, '\n' stripped, the line number as id.
      String content = Files.readString(vocabFile, StandardCharsets.UTF_8);
      String[] lines = content.split("\n", -1);
      int count = content.endsWith("\n") ? lines.length - 1 : lines.length;
      for (int i = 0; i < count; i++) {
        vocab.put(lines[i], i);
      }
    } catch (IOException e) {
      throw new TokenizerException("cannot read " + vocabFile + ": " + e.getMessage(), e);
    }
    String name = vocabFile.toString();
    try {
      String unk = orElse(tokenText(config.get("unk_token")), "[UNK]");
      String sep = orElse(tokenText(config.get("sep_token")), "[SEP]");
      String pad = orElse(tokenText(config.get("pad_token")), "[PAD]");
      String cls = orElse(tokenText(config.get("cls_token")), "[CLS]");
      String mask = orElse(tokenText(config.get("mask_token")), "[MASK]");
      List<AddedToken> added = new ArrayList<>();
      for (String special : List.of(pad, unk, cls, sep, mask)) {
        added.add(AddedToken.special(idOf(vocab, special, name), special));
      }
      added.sort(Comparator.comparingInt(AddedToken::id));
      boolean lowercase = bool(config, "do_lower_case", true);
      JsonNode strip = config.get("strip_accents");
      Normalizer normalizer = new BertNormalizer(
          true,
          bool(config, "tokenize_chinese_chars", true),
          strip == null || strip.isNull() ? null : strip.asBoolean(),
          lowercase);
      TemplateProcessing.SpecialTokens clsTokens =
          new TemplateProcessing.SpecialTokens(new int[] {idOf(vocab, cls, name)}, new String[] {cls});
      TemplateProcessing.SpecialTokens sepTokens =
          new TemplateProcessing.SpecialTokens(new int[] {idOf(vocab, sep, name)}, new String[] {sep});
      PostProcessor post = new TemplateProcessing(
          List.of(special(cls, 0), sequence("A", 0), special(sep, 0)),
          List.of(special(cls, 0), sequence("A", 0), special(sep, 0), sequence("B", 1), special(sep, 1)),
          Map.of(cls, clsTokens, sep, sepTokens));
      return new WordPieceTokenizer(
          normalizer,
          new BertPreTokenizer(),
          new WordPieceModel(vocab, unk, "##", 100),
          new AddedVocabulary(added, normalizer),
          post,
          new WordPieceDecoder("##", true),
          modelMaxLength(config),
          bool(config, "clean_up_tokenization_spaces", true),
          pad);
    } catch (ConfigException | IllegalArgumentException e) {
      throw new TokenizerException(name + ": " + e.getMessage(), e);
    }
  }

  private static TemplateProcessing.Piece special(String id, int typeId) {
    return new TemplateProcessing.Piece(false, id, typeId);
  }

  private static TemplateProcessing.Piece sequence(String id, int typeId) {
    return new TemplateProcessing.Piece(true, id, typeId);
  }

  private static int idOf(Map<String, Integer> vocab, String token, String file) {
    Integer id = vocab.get(token);
    if (id == null) {
      throw new ConfigException("special token " + token + " is not in the vocabulary " + file);
    }
    return id;
  }

  /** tokenizer_config.json merged over special_tokens_map.json, both optional. */
  private static JsonNode configOf(Path directory) {
    ObjectNode config = JSON.createObjectNode();
    if (directory == null) {
      return config;
    }
    for (String file : List.of(SPECIAL_TOKENS_MAP, TOKENIZER_CONFIG)) {
      Path path = directory.resolve(file);
      if (Files.isRegularFile(path)) {
        JsonNode node = readJson(path);
        if (!node.isObject()) {
          throw new TokenizerException(path + ": the top level must be a JSON object");
        }
        config.setAll((ObjectNode) node);
      }
    }
    return config;
  }

  private static JsonNode readJson(Path path) {
    try {
      return JSON.readTree(Files.readString(path, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      throw new TokenizerException("tokenizer file " + path + " does not exist", e);
    } catch (JsonProcessingException e) {
      throw new TokenizerException(path + " is not valid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new TokenizerException("cannot read " + path + ": " + e.getMessage(), e);
    }
  }

  private static OptionalInt modelMaxLength(JsonNode config) {
    JsonNode value = config.get("model_max_length");
    if (value == null || !value.isNumber() || value.asDouble() > NO_MAX_LENGTH || value.asDouble() < 1) {
      return OptionalInt.empty();
    }
    return OptionalInt.of(value.asInt());
  }

  /** A token setting of tokenizer_config.json: a string or an added-token object with a "content". */
  private static String tokenText(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    return node.isTextual() ? node.asText() : node.path("content").asText(null);
  }

  private static Map<String, Integer> vocab(JsonNode node) {
    if (!node.isObject()) {
      throw new ConfigException("model.vocab must be an object of token to id");
    }
    Map<String, Integer> vocab = new HashMap<>(node.size() * 2);
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().canConvertToInt()) {
        throw new ConfigException("model.vocab: id of " + e.getKey() + " is not an integer: " + e.getValue());
      }
      vocab.put(e.getKey(), e.getValue().asInt());
    }
    return vocab;
  }

  /**
   * The added tokens, special ones first (in file order), then the others: the order Hugging Face matches in.
   * Ids are assigned as Hugging Face does when it reads the file, one token at a time: the id the content already
   * has (vocabulary or earlier added token), else the next free one after the vocabulary; for files Hugging Face
   * wrote these are the ids in the file.
   */
  private static List<AddedToken> addedTokens(JsonNode node, WordPieceModel model) {
    if (node.isMissingNode() || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw new ConfigException("added_tokens must be an array");
    }
    int vocabSize = model.vocab().size();
    Map<String, Integer> ids = new HashMap<>();
    int maxId = -1;
    List<AddedToken> special = new ArrayList<>();
    List<AddedToken> others = new ArrayList<>();
    for (JsonNode t : node) {
      String content = text(t, "content", null);
      integer(t, "id", null);
      if (content.isEmpty()) {
        continue;
      }
      Integer id = ids.get(content);
      if (id == null) {
        id = model.tokenToId(content);
      }
      if (id == null) {
        id = maxId < 0 ? vocabSize : maxId >= vocabSize || vocabSize == 0 ? maxId + 1 : vocabSize;
      }
      ids.put(content, id);
      maxId = Math.max(maxId, id);
      AddedToken token = new AddedToken(
          id,
          content,
          bool(t, "single_word", false),
          bool(t, "lstrip", false),
          bool(t, "rstrip", false),
          bool(t, "normalized", true),
          bool(t, "special", false));
      (token.special() ? special : others).add(token);
    }
    special.addAll(others);
    return special;
  }

  private static Normalizer bertNormalizer(JsonNode node) {
    JsonNode strip = node.get("strip_accents");
    return new BertNormalizer(
        bool(node, "clean_text", true),
        bool(node, "handle_chinese_chars", true),
        strip == null || strip.isNull() ? null : strip.asBoolean(),
        bool(node, "lowercase", true));
  }

  private static PostProcessor templateProcessing(JsonNode node) {
    Map<String, TemplateProcessing.SpecialTokens> specials = new HashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.path("special_tokens").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      List<Integer> ids = list(e.getValue(), "ids", JsonNode::asInt);
      List<String> tokens = list(e.getValue(), "tokens", JsonNode::asText);
      if (ids.size() != tokens.size()) {
        throw new ConfigException("post_processor special token " + e.getKey() + " has " + ids.size() + " ids but "
            + tokens.size() + " tokens");
      }
      specials.put(e.getKey(), new TemplateProcessing.SpecialTokens(
          ids.stream().mapToInt(Integer::intValue).toArray(), tokens.toArray(String[]::new)));
    }
    return new TemplateProcessing(
        list(node, "single", TokenizerLoader::piece), list(node, "pair", TokenizerLoader::piece), specials);
  }

  private static TemplateProcessing.Piece piece(JsonNode node) {
    if (node.has("Sequence")) {
      JsonNode s = node.get("Sequence");
      return sequence(text(s, "id", null), integer(s, "type_id", 0));
    }
    if (node.has("SpecialToken")) {
      JsonNode s = node.get("SpecialToken");
      return special(text(s, "id", null), integer(s, "type_id", 0));
    }
    throw new ConfigException("template piece must be a Sequence or a SpecialToken: " + node);
  }

  private static PostProcessor bertProcessing(JsonNode node) {
    JsonNode sep = required(node, "sep");
    JsonNode cls = required(node, "cls");
    if (sep.size() != 2 || cls.size() != 2) {
      throw new ConfigException("BertProcessing sep and cls must be [token, id] pairs");
    }
    return new BertProcessing(sep.get(0).asText(), sep.get(1).asInt(), cls.get(0).asText(), cls.get(1).asInt());
  }

  private static Normalizer normalizer(JsonNode node) {
    return component(node, "normalizer", NORMALIZERS);
  }

  private static PreTokenizer preTokenizer(JsonNode node) {
    return component(node, "pre_tokenizer", PRE_TOKENIZERS);
  }

  private static PostProcessor postProcessor(JsonNode node) {
    return component(node, "post_processor", POST_PROCESSORS);
  }

  private static Decoder decoder(JsonNode node) {
    return component(node, "decoder", DECODERS);
  }

  private static <T> T component(JsonNode node, String stage, Map<String, Function<JsonNode, T>> registry) {
    String type = text(node, "type", null);
    Function<JsonNode, T> factory = registry.get(type);
    if (factory == null) {
      throw new ConfigException(
          stage + " type " + type + " is not supported (supported: " + String.join(", ", registry.keySet()) + ")");
    }
    return factory.apply(node);
  }

  private static <T> T optional(JsonNode root, String field, Function<JsonNode, T> reader) {
    JsonNode node = root.get(field);
    return node == null || node.isNull() ? null : reader.apply(node);
  }

  private static <T> T orElse(T value, T fallback) {
    return value != null ? value : fallback;
  }

  private static <T> List<T> list(JsonNode node, String field, Function<JsonNode, T> reader) {
    JsonNode array = required(node, field);
    if (!array.isArray()) {
      throw new ConfigException(field + " must be an array");
    }
    List<T> items = new ArrayList<>();
    for (JsonNode item : array) {
      items.add(reader.apply(item));
    }
    return items;
  }

  private static JsonNode required(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      throw new ConfigException("missing \"" + field + "\" in " + abbreviate(node));
    }
    return value;
  }

  private static String text(JsonNode node, String field, String fallback) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      if (fallback == null) {
        throw new ConfigException("missing \"" + field + "\" in " + abbreviate(node));
      }
      return fallback;
    }
    if (!value.isTextual()) {
      throw new ConfigException("\"" + field + "\" must be a string in " + abbreviate(node));
    }
    return value.asText();
  }

  private static int integer(JsonNode node, String field, Integer fallback) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      if (fallback == null) {
        throw new ConfigException("missing \"" + field + "\" in " + abbreviate(node));
      }
      return fallback;
    }
    if (!value.canConvertToInt()) {
      throw new ConfigException("\"" + field + "\" must be an integer in " + abbreviate(node));
    }
    return value.asInt();
  }

  private static boolean bool(JsonNode node, String field, boolean fallback) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return fallback;
    }
    if (!value.isBoolean()) {
      throw new ConfigException("\"" + field + "\" must be true or false in " + abbreviate(node));
    }
    return value.asBoolean();
  }

  private static String abbreviate(JsonNode node) {
    String text = node.toString();
    return text.length() > 120 ? text.substring(0, 120) + "…" : text;
  }
}
