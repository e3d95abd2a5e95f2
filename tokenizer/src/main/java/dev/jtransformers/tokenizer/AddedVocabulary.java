package dev.jtransformers.tokenizer;

import static dev.jtransformers.tokenizer.CharacterTables.SPLIT_WHITESPACE;
import static dev.jtransformers.tokenizer.CharacterTables.WORD;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The added tokens and how they are found in text, as Hugging Face's {@code AddedVocabulary}: tokens that are
 * not {@code normalized} are matched in the raw text first, the others afterwards in the normalised pieces
 * between; matching is leftmost-longest, then the single-word, lstrip and rstrip rules apply. Immutable.
 */
final class AddedVocabulary {
  private final List<AddedToken> tokens;
  private final Map<Integer, AddedToken> byId = new HashMap<>();
  private final Map<String, Integer> idByContent = new HashMap<>();
  private final Set<String> specialContents = new HashSet<>();
  private final Matcher raw;
  private final Matcher normalized;

  /** A pattern set: the trie of the patterns and, per pattern, its token. */
  private record Matcher(CodePointTrie trie, AddedToken[] tokens) {
    static Matcher of(List<AddedToken> tokens, List<String> patterns) {
      return new Matcher(CodePointTrie.of(patterns.toArray(String[]::new)), tokens.toArray(AddedToken[]::new));
    }

    boolean isEmpty() {
      return tokens.length == 0;
    }
  }

  /**
   * @param tokens the added tokens, special ones first as Hugging Face orders them for matching
   * @param normalizer normalises the content of {@code normalized} tokens; may be {@code null}
   */
  AddedVocabulary(List<AddedToken> tokens, Normalizer normalizer) {
    this.tokens = List.copyOf(tokens);
    List<AddedToken> rawTokens = new ArrayList<>();
    List<String> rawPatterns = new ArrayList<>();
    List<AddedToken> normalizedTokens = new ArrayList<>();
    List<String> normalizedPatterns = new ArrayList<>();
    for (AddedToken token : tokens) {
      byId.put(token.id(), token);
      idByContent.put(token.content(), token.id());
      if (token.special()) {
        specialContents.add(token.content());
      }
      if (token.content().isEmpty()) {
        continue;
      }
      if (token.normalized()) {
        String pattern =
            normalizer == null ? token.content() : normalizer.normalize(NormalizedText.of(token.content())).toString();
        if (!pattern.isEmpty()) {
          normalizedTokens.add(token);
          normalizedPatterns.add(pattern);
        }
      } else {
        rawTokens.add(token);
        rawPatterns.add(token.content());
      }
    }
    this.raw = Matcher.of(rawTokens, rawPatterns);
    this.normalized = Matcher.of(normalizedTokens, normalizedPatterns);
  }

  /** The added token with this id, or {@code null}. */
  AddedToken byId(int id) {
    return byId.get(id);
  }

  /** The id of an added token's content, or {@code null}. */
  Integer idOf(String content) {
    return idByContent.get(content);
  }

  boolean isSpecial(String content) {
    return specialContents.contains(content);
  }

  Set<String> contents() {
    return Collections.unmodifiableSet(idByContent.keySet());
  }

  /** The added tokens, in matching order. */
  List<AddedToken> tokens() {
    return tokens;
  }

  /**
   * Splits {@code text[from, to)} around the added tokens found in it: each piece is appended to {@code out},
   * tagged with the id of its added token or {@link Splits#UNTAGGED}. Empty pieces are left out.
   *
   * @param normalizedTokens whether to look for the {@code normalized} tokens (in normalised text) or the others
   */
  void split(NormalizedText text, int from, int to, boolean normalizedTokens, Splits out) {
    Matcher matcher = normalizedTokens ? normalized : raw;
    if (from == to) {
      return;
    }
    if (matcher.isEmpty()) {
      out.add(from, to);
      return;
    }
    CodePointTrie trie = matcher.trie();
    int pieceStart = from;
    int position = from;
    while (position < to) {
      // Leftmost-longest: the first position where a pattern starts, the longest pattern there.
      int matched = CodePointTrie.NONE;
      int matchEnd = position;
      int node = CodePointTrie.ROOT;
      for (int i = position; i < to; i++) {
        node = trie.child(node, text.codePoint(i));
        if (node == CodePointTrie.NONE) {
          break;
        }
        if (trie.value(node) != CodePointTrie.NONE) {
          matched = trie.value(node);
          matchEnd = i + 1;
        }
      }
      if (matched == CodePointTrie.NONE) {
        position++;
        continue;
      }
      AddedToken token = matcher.tokens()[matched];
      int start = position;
      int stop = matchEnd;
      position = matchEnd;
      if (token.singleWord()
          && ((start > from && CharacterTables.has(text.codePoint(start - 1), WORD))
              || (stop < to && CharacterTables.has(text.codePoint(stop), WORD)))) {
        continue;
      }
      if (token.lstrip()) {
        int newStart = start;
        while (newStart > from && CharacterTables.has(text.codePoint(newStart - 1), SPLIT_WHITESPACE)) {
          newStart--;
        }
        start = Math.max(newStart, pieceStart);
      }
      if (token.rstrip()) {
        while (stop < to && CharacterTables.has(text.codePoint(stop), SPLIT_WHITESPACE)) {
          stop++;
        }
      }
      if (pieceStart < start) {
        out.add(pieceStart, start);
      }
      out.add(start, stop, token.id());
      pieceStart = stop;
    }
    if (pieceStart != to) {
      out.add(pieceStart, to);
    }
  }
}
