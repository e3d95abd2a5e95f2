package dev.jtransformers.tokenizer.wordpiece;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jtransformers.tokenizer.CodePointTrie;
import dev.jtransformers.tokenizer.ComponentFactory;
import dev.jtransformers.tokenizer.ConfigSection;
import dev.jtransformers.tokenizer.NormalizedText;
import dev.jtransformers.tokenizer.Stage;
import dev.jtransformers.tokenizer.TokenSequence;
import dev.jtransformers.tokenizer.TokenizerModel;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The WordPiece model ({@code "type": "WordPiece"}): cuts each word greedily into the longest vocabulary entries
 * from the left, pieces after the first carrying the continuing-subword prefix ({@code ##}). A word longer than
 * {@code max_input_chars_per_word} code points, or one that cannot be cut, becomes one unknown token covering it.
 * Immutable.
 */
public final class WordPieceModel implements TokenizerModel {
  private final Map<String, Integer> vocab;
  private final String[] tokenOfId;
  private final String[] keys;
  private final int[] keyIds;
  private final CodePointTrie trie;
  private final int continuationRoot;
  private final String unkToken;
  private final int unkId;
  private final int maxInputCharsPerWord;

  /**
   * Reads {@code {"type": "WordPiece", "vocab": {token: id}, "unk_token", "continuing_subword_prefix",
   * "max_input_chars_per_word"}}, the last three defaulting as in BERT: {@code [UNK]}, {@code ##}, 100.
   */
  public static final class Factory extends ComponentFactory<TokenizerModel> {
    public Factory() {
      super(Stage.MODEL, "WordPiece");
    }

    @Override
    public TokenizerModel create(ConfigSection config) {
      return new WordPieceModel(
          vocab(config),
          config.string("unk_token", "[UNK]"),
          config.string("continuing_subword_prefix", "##"),
          config.integer("max_input_chars_per_word", 100));
    }

    private static Map<String, Integer> vocab(ConfigSection config) {
      JsonNode node = config.value("vocab");
      if (!node.isObject()) {
        throw config.error("vocab must be an object of token to id");
      }
      Map<String, Integer> vocab = new HashMap<>(node.size() * 2);
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!e.getValue().canConvertToInt()) {
          throw config.error("vocab: id of " + e.getKey() + " is not an integer: " + e.getValue());
        }
        vocab.put(e.getKey(), e.getValue().asInt());
      }
      return vocab;
    }
  }

  /**
   * @param vocab every entry and its id
   * @param continuingSubwordPrefix what starts the entries for pieces after a word's first ({@code ##})
   * @param maxInputCharsPerWord longer words, in code points, become one unknown token
   * @throws IllegalArgumentException if the unknown token is not in the vocabulary or an id is negative
   */
  public WordPieceModel(Map<String, Integer> vocab, String unkToken, String continuingSubwordPrefix, int maxInputCharsPerWord) {
    this.vocab = Collections.unmodifiableMap(new HashMap<>(vocab));
    Integer unk = vocab.get(unkToken);
    if (unk == null) {
      throw new IllegalArgumentException("the unknown token " + unkToken + " is not in the vocabulary");
    }
    int maxId = -1;
    for (int id : vocab.values()) {
      if (id < 0) {
        throw new IllegalArgumentException("negative id " + id + " in the vocabulary");
      }
      maxId = Math.max(maxId, id);
    }
    this.tokenOfId = new String[maxId + 1];
    this.keys = new String[vocab.size()];
    this.keyIds = new int[vocab.size()];
    int k = 0;
    for (Map.Entry<String, Integer> e : vocab.entrySet()) {
      tokenOfId[e.getValue()] = e.getKey();
      keys[k] = e.getKey();
      keyIds[k++] = e.getValue();
    }
    this.trie = CodePointTrie.of(keys);
    this.continuationRoot = trie.walk(CodePointTrie.ROOT, continuingSubwordPrefix);
    this.unkToken = unkToken;
    this.unkId = unk;
    this.maxInputCharsPerWord = maxInputCharsPerWord;
  }

  @Override
  public void tokenize(NormalizedText text, int from, int to, int wordId, TokenSequence out) {
    if (to - from > maxInputCharsPerWord) {
      out.add(unkId, unkToken, text.start(from), text.end(to - 1), wordId);
      return;
    }
    int firstToken = out.length();
    int start = from;
    while (start < to) {
      int node = start == from ? CodePointTrie.ROOT : continuationRoot;
      int match = CodePointTrie.NONE;
      int matchEnd = start;
      for (int i = start; i < to && node != CodePointTrie.NONE; i++) {
        node = trie.child(node, text.codePoint(i));
        if (node != CodePointTrie.NONE && trie.value(node) != CodePointTrie.NONE) {
          match = trie.value(node);
          matchEnd = i + 1;
        }
      }
      if (match == CodePointTrie.NONE) {
        out.shrink(firstToken);
        out.add(unkId, unkToken, text.start(from), text.end(to - 1), wordId);
        return;
      }
      out.add(keyIds[match], keys[match], text.start(start), text.end(matchEnd - 1), wordId);
      start = matchEnd;
    }
  }

  @Override
  public OptionalInt tokenToId(String token) {
    Integer id = vocab.get(token);
    return id == null ? OptionalInt.empty() : OptionalInt.of(id);
  }

  @Override
  public Optional<String> idToToken(int id) {
    return Optional.ofNullable(id >= 0 && id < tokenOfId.length ? tokenOfId[id] : null);
  }

  @Override
  public Map<String, Integer> vocab() {
    return vocab;
  }

  @Override
  public Optional<String> unknownToken() {
    return Optional.of(unkToken);
  }
}
