package dev.jtransformers.tokenizer;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jtransformers.api.TokenizerException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The older layout of a BERT tokenizer, {@code vocab.txt} with the settings of Python's {@code BertTokenizer}, as
 * the {@code tokenizer.json} that {@code transformers}' {@code BertConverter} makes of it: BertNormalizer,
 * BertPreTokenizer, a WordPiece model, {@code [CLS] $A [SEP]} templates and the WordPiece decoder. The loader then
 * reads it like any other file, so the model comes from the registry here too.
 */
final class VocabTxtLayout {
  private VocabTxtLayout() {}

  /**
   * @param config {@code tokenizer_config.json} over {@code special_tokens_map.json}
   * @throws TokenizerException if the vocabulary cannot be read or lacks a special token
   */
  static ObjectNode toTokenizerJson(Path vocabFile, ConfigSection config) {
    ObjectNode vocab = vocab(vocabFile);
    String unk = token(config, "unk_token", "[UNK]");
    String sep = token(config, "sep_token", "[SEP]");
    String pad = token(config, "pad_token", "[PAD]");
    String cls = token(config, "cls_token", "[CLS]");
    String mask = token(config, "mask_token", "[MASK]");

    ObjectNode json = TokenizerLoader.JSON.createObjectNode();
    // Special tokens as transformers adds them: not normalized, no stripping; in id order.
    Map<Integer, String> specials = new TreeMap<>();
    for (String special : List.of(pad, unk, cls, sep, mask)) {
      specials.put(idOf(vocab, special, vocabFile), special);
    }
    ArrayNode added = json.putArray("added_tokens");
    specials.forEach((id, content) -> added.addObject()
        .put("id", id).put("content", content).put("single_word", false).put("lstrip", false).put("rstrip", false)
        .put("normalized", false).put("special", true));
    ObjectNode normalizer = json.putObject("normalizer")
        .put("type", "BertNormalizer")
        .put("clean_text", true)
        .put("handle_chinese_chars", config.bool("tokenize_chinese_chars", true))
        .put("lowercase", config.bool("do_lower_case", true));
    config.optionalBool("strip_accents").ifPresent(strip -> normalizer.put("strip_accents", strip));
    json.putObject("pre_tokenizer").put("type", "BertPreTokenizer");
    ObjectNode post = json.putObject("post_processor").put("type", "TemplateProcessing");
    ArrayNode single = post.putArray("single");
    addPiece(single, "SpecialToken", cls, 0);
    addPiece(single, "Sequence", "A", 0);
    addPiece(single, "SpecialToken", sep, 0);
    ArrayNode pair = post.putArray("pair").addAll(single);
    addPiece(pair, "Sequence", "B", 1);
    addPiece(pair, "SpecialToken", sep, 1);
    ObjectNode specialTokens = post.putObject("special_tokens");
    for (String special : List.of(cls, sep)) {
      ObjectNode entry = specialTokens.putObject(special).put("id", special);
      entry.putArray("ids").add(idOf(vocab, special, vocabFile));
      entry.putArray("tokens").add(special);
    }
    json.putObject("padding").put("pad_token", pad);
    json.putObject("decoder").put("type", "WordPiece").put("prefix", "##").put("cleanup", true);
    json.putObject("model")
        .put("type", "WordPiece")
        .put("unk_token", unk)
        .put("continuing_subword_prefix", "##")
        .put("max_input_chars_per_word", 100)
        .set("vocab", vocab);
    return json;
  }

  /**
   * Python's {@code load_vocab}: one token per line, the line number as id. Python reads the file with universal
   * newlines, so {@code \r\n} and a lone {@code \r} end a line as {@code \n} does (a vocabulary saved on Windows).
   */
  private static ObjectNode vocab(Path file) {
    String content;
    try {
      content = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new TokenizerException("cannot read " + file + ": " + e.getMessage(), e);
    }
    String[] lines = content.split("\r\n|\r|\n", -1);
    int count = content.endsWith("\n") || content.endsWith("\r") ? lines.length - 1 : lines.length;
    ObjectNode vocab = TokenizerLoader.JSON.createObjectNode();
    for (int i = 0; i < count; i++) {
      vocab.put(lines[i], i);
    }
    return vocab;
  }

  private static String token(ConfigSection config, String field, String fallback) {
    String token = TokenizerLoader.tokenText(config, field);
    return token != null ? token : fallback;
  }

  private static int idOf(ObjectNode vocab, String token, Path file) {
    if (!vocab.has(token)) {
      throw new TokenizerException(file + ": special token " + token + " is not in the vocabulary");
    }
    return vocab.get(token).asInt();
  }

  private static void addPiece(ArrayNode template, String kind, String id, int typeId) {
    template.addObject().putObject(kind).put("id", id).put("type_id", typeId);
  }
}
