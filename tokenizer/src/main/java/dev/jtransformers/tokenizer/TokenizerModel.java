package dev.jtransformers.tokenizer;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The third stage: cuts each word into vocabulary tokens (WordPiece, BPE, Unigram…), like a {@code model} of
 * Hugging Face {@code tokenizers}. Chosen by the {@code "type"} of the {@code "model"} section of
 * {@code tokenizer.json} through a {@link ComponentFactory}.
 *
 * <p>Implementations are immutable and thread-safe. {@link #tokenize} runs once per word: it should not allocate
 * per token beyond the token strings it appends.
 */
public interface TokenizerModel {
  /**
   * Appends the tokens of the word {@code text[from, to)} to {@code out}, all with word index {@code wordId}, each
   * with the offsets of the input it covers ({@link NormalizedText#start} of its first code point,
   * {@link NormalizedText#end} of its last).
   */
  void tokenize(NormalizedText text, int from, int to, int wordId, TokenSequence out);

  /** The id of a vocabulary entry, if it is one. */
  OptionalInt tokenToId(String token);

  /** The vocabulary entry of an id, if there is one. */
  Optional<String> idToToken(int id);

  /** The vocabulary: every entry and its id. */
  Map<String, Integer> vocab();

  /** The number of vocabulary entries; added tokens get ids from here on. */
  default int vocabSize() {
    return vocab().size();
  }

  /** The token that stands for what the vocabulary cannot spell, if the model has one. */
  Optional<String> unknownToken();
}
