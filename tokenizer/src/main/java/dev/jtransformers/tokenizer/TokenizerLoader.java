package dev.jtransformers.tokenizer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jtransformers.api.TokenizerException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Reads a tokenizer from Hugging Face files: a {@code tokenizer.json}, or the older {@code vocab.txt} with
 * {@code tokenizer_config.json} and {@code special_tokens_map.json} (converted to the {@code tokenizer.json} it
 * stands for). Each stage is built from its section by the {@link ComponentFactory} of its {@code "type"}; every
 * problem is a {@link TokenizerException} naming the file and what is wrong.
 */
final class TokenizerLoader {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOKENIZER_JSON = "tokenizer.json";
  private static final String TOKENIZER_CONFIG = "tokenizer_config.json";
  private static final String SPECIAL_TOKENS_MAP = "special_tokens_map.json";
  private static final String VOCAB_TXT = "vocab.txt";
  /**
   * The model of a {@code "model"} section without a {@code "type"}, as this reader has always read one (Hugging Face
   * guesses the type from the fields).
   */
  private static final String UNTYPED_MODEL = "WordPiece";
  /** Python's "no limit" sentinel for {@code model_max_length} is 1e30; anything this big means none. */
  private static final double NO_MAX_LENGTH = 1e6;

  private final TokenizerComponents components;

  TokenizerLoader(TokenizerComponents components) {
    this.components = components;
  }

  /** Whether {@link #load} finds a tokenizer file in the directory, in either layout. */
  static boolean isIn(Path directory) {
    return isRegularFile(directory.resolve(TOKENIZER_JSON)) || isRegularFile(directory.resolve(VOCAB_TXT));
  }

  ComposedTokenizer load(Path path) {
    if (Files.isDirectory(path)) {
      Path json = path.resolve(TOKENIZER_JSON);
      if (isRegularFile(json)) {
        return fromTokenizerJson(json, path);
      }
      Path vocab = path.resolve(VOCAB_TXT);
      if (isRegularFile(vocab)) {
        ConfigSection config = configOf(path);
        return fromTokenizerJson(VocabTxtLayout.toTokenizerJson(vocab, config), vocab.toString(), config);
      }
      throw new TokenizerException(
          "no tokenizer in " + path + ": expected " + TOKENIZER_JSON + " or " + VOCAB_TXT + " there");
    }
    if (!Files.exists(path)) {
      throw new TokenizerException("tokenizer file " + path + " does not exist");
    }
    return fromTokenizerJson(path, path.toAbsolutePath().getParent());
  }

  ComposedTokenizer load(InputStream tokenizerJson, String name) {
    JsonNode root;
    try {
      root = JSON.readTree(tokenizerJson);
    } catch (IOException e) {
      throw new TokenizerException(name + " is not valid JSON: " + e.getMessage(), e);
    }
    return fromTokenizerJson(root, name, ConfigSection.root(JSON.createObjectNode(), name, components));
  }

  private ComposedTokenizer fromTokenizerJson(Path json, Path directory) {
    return fromTokenizerJson(readJson(json), json.toString(), configOf(directory));
  }

  /**
   * @param config {@code tokenizer_config.json} (over {@code special_tokens_map.json}): {@code model_max_length},
   *     {@code clean_up_tokenization_spaces}, the padding and mask tokens
   */
  private ComposedTokenizer fromTokenizerJson(JsonNode json, String name, ConfigSection config) {
    ConfigSection root = ConfigSection.root(json, name, components);
    ConfigSection modelSection = root.section(Stage.MODEL.section());
    TokenizerModel model =
        components.create(Stage.MODEL, modelSection.string("type", UNTYPED_MODEL), modelSection);
    Normalizer normalizer = optional(root, Stage.NORMALIZER);
    List<AddedToken> added = root.has("added_tokens") ? addedTokens(root.sections("added_tokens"), model) : List.of();
    String padToken = tokenText(config, "pad_token");
    if (padToken == null && root.has("padding")) {
      padToken = root.section("padding").string("pad_token", null);
    }
    PostProcessor postProcessor = optional(root, Stage.POST_PROCESSOR);
    Decoder decoder = optional(root, Stage.DECODER);
    return new ComposedTokenizer(
        normalizer,
        optional(root, Stage.PRE_TOKENIZER),
        model,
        new AddedVocabulary(added, normalizer),
        postProcessor == null ? PostProcessor.NONE : postProcessor,
        decoder == null ? Decoder.NONE : decoder,
        modelMaxLength(config),
        // Python transformers' default since 4.45 (5.x too): no clean-up unless the config asks for it.
        config.bool("clean_up_tokenization_spaces", false),
        padToken,
        tokenText(config, "mask_token"));
  }

  /** A stage's component, or {@code null} when its section is missing or {@code null}. */
  private static <T> T optional(ConfigSection root, Stage<T> stage) {
    return root.optionalSection(stage.section()).map(section -> section.component(stage)).orElse(null);
  }

  /** tokenizer_config.json merged over special_tokens_map.json, both optional. */
  private ConfigSection configOf(Path directory) {
    ObjectNode config = JSON.createObjectNode();
    Path name = directory.resolve(TOKENIZER_CONFIG);
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
    return ConfigSection.root(config, name.toString(), components);
  }

  /**
   * Whether {@code path} is a regular file. One that can't be looked at (a directory without read permission) is an
   * error saying so, not taken for an absent file.
   */
  private static boolean isRegularFile(Path path) {
    try {
      return Files.readAttributes(path, BasicFileAttributes.class).isRegularFile();
    } catch (NoSuchFileException e) {
      return false;
    } catch (IOException e) {
      throw cannotRead(path, e);
    }
  }

  private static TokenizerException cannotRead(Path path, IOException e) {
    String reason = e instanceof AccessDeniedException ? "permission denied" : e.getMessage();
    return new TokenizerException("cannot read " + path + ": " + reason, e);
  }

  private static JsonNode readJson(Path path) {
    try {
      return JSON.readTree(Files.readString(path, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      throw new TokenizerException("tokenizer file " + path + " does not exist", e);
    } catch (JsonProcessingException e) {
      throw new TokenizerException(path + " is not valid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw cannotRead(path, e);
    }
  }

  private static OptionalInt modelMaxLength(ConfigSection config) {
    if (!config.has("model_max_length")) {
      return OptionalInt.empty();
    }
    JsonNode value = config.value("model_max_length");
    if (!value.isNumber() || value.asDouble() > NO_MAX_LENGTH || value.asDouble() < 1) {
      return OptionalInt.empty();
    }
    return OptionalInt.of(value.asInt());
  }

  /** A token setting of tokenizer_config.json: a string or an added-token object with a "content". */
  static String tokenText(ConfigSection config, String field) {
    if (!config.has(field)) {
      return null;
    }
    JsonNode node = config.value(field);
    return node.isTextual() ? node.asText() : node.path("content").asText(null);
  }

  /**
   * The added tokens, special ones first (in file order), then the others: the order Hugging Face matches in.
   * Ids are assigned as Hugging Face does when it reads the file, one token at a time: the id the content already
   * has (vocabulary or earlier added token), else the next free one after the vocabulary; for files Hugging Face
   * wrote these are the ids in the file.
   */
  private static List<AddedToken> addedTokens(List<ConfigSection> sections, TokenizerModel model) {
    int vocabSize = model.vocabSize();
    Map<String, Integer> ids = new HashMap<>();
    int maxId = -1;
    List<AddedToken> special = new ArrayList<>();
    List<AddedToken> others = new ArrayList<>();
    for (ConfigSection t : sections) {
      String content = t.string("content");
      t.integer("id");
      if (content.isEmpty()) {
        continue;
      }
      Integer id = ids.get(content);
      if (id == null) {
        OptionalInt known = model.tokenToId(content);
        id = known.isPresent() ? known.getAsInt()
            : maxId < 0 ? vocabSize : maxId >= vocabSize || vocabSize == 0 ? maxId + 1 : vocabSize;
      }
      ids.put(content, id);
      maxId = Math.max(maxId, id);
      AddedToken token = new AddedToken(
          id,
          content,
          t.bool("single_word", false),
          t.bool("lstrip", false),
          t.bool("rstrip", false),
          t.bool("normalized", true),
          t.bool("special", false));
      (token.special() ? special : others).add(token);
    }
    special.addAll(others);
    return special;
  }
}
