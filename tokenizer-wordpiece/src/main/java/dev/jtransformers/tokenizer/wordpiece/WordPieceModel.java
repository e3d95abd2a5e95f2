package dev.jtransformers.tokenizer.wordpiece;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * The WordPiece model ({@code "type": "WordPiece"}): cuts each word greedily into the longest vocabulary entries
 * from the left, pieces after the first carrying the continuing-subword prefix ({@code ##}). A word longer than
 * {@code max_input_chars_per_word} code points, or one that cannot be cut, becomes one unknown token covering it.
 * Immutable.
 */
final class WordPieceModel {
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
   * @throws IllegalArgumentException if the unknown token is not in the vocabulary or an id is negative
   */
  WordPieceModel(Map<String, Integer> vocab, String unkToken, String continuingSubwordPrefix, int maxInputCharsPerWord) {
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

  /** Appends the tokens of the word {@code text[from, to)} to {@code out}, all with word index {@code wordId}. */
  void tokenize(NormalizedText text, int from, int to, int wordId, TokenSequence out) {
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

  /** The id of a vocabulary entry, or {@code null}. */
  Integer tokenToId(String token) {
    return vocab.get(token);
  }

  /** The entry of an id, or {@code null}. */
  String idToToken(int id) {
    return id >= 0 && id < tokenOfId.length ? tokenOfId[id] : null;
  }

  Map<String, Integer> vocab() {
    return vocab;
  }

  String unkToken() {
    return unkToken;
  }
}
