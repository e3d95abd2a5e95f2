package dev.jtransformers.tokenizer;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A test-only model that is not WordPiece ({@code "type": "TestWordLevel"}): each word is one token, its vocabulary
 * entry or the unknown token. Registered in this module's test {@code META-INF/services} only.
 */
public record WordLevelTestModel(Map<String, Integer> vocab, String unkToken) implements TokenizerModel {
  public WordLevelTestModel {
    vocab = Map.copyOf(vocab);
    if (!vocab.containsKey(unkToken)) {
      throw new IllegalArgumentException("the unknown token " + unkToken + " is not in the vocabulary");
    }
  }

  /** Reads {@code {"type": "TestWordLevel", "vocab": {token: id}, "unk_token"}}. */
  public static final class Factory extends ComponentFactory<TokenizerModel> {
    public Factory() {
      super(Stage.MODEL, "TestWordLevel");
    }

    @Override
    public TokenizerModel create(ConfigSection config) {
      ConfigSection entries = config.section("vocab");
      Map<String, Integer> vocab = new HashMap<>();
      for (String token : entries.fieldNames()) {
        vocab.put(token, entries.integer(token));
      }
      return new WordLevelTestModel(vocab, config.string("unk_token", "<unk>"));
    }
  }

  @Override
  public void tokenize(NormalizedText text, int from, int to, int wordId, TokenSequence out) {
    String word = text.text(from, to);
    Integer id = vocab.get(word);
    out.add(id != null ? id : vocab.get(unkToken), id != null ? word : unkToken, text.start(from), text.end(to - 1),
        wordId);
  }

  @Override
  public OptionalInt tokenToId(String token) {
    return vocab.containsKey(token) ? OptionalInt.of(vocab.get(token)) : OptionalInt.empty();
  }

  @Override
  public Optional<String> idToToken(int id) {
    return vocab.entrySet().stream().filter(e -> e.getValue() == id).map(Map.Entry::getKey).findFirst();
  }

  @Override
  public Optional<String> unknownToken() {
    return Optional.of(unkToken);
  }
}
