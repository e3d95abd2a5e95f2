package dev.jtransformers.api;

import java.util.List;
import java.util.OptionalInt;

/**
 * Turns text into model inputs and back, with the semantics of Hugging Face {@code tokenizers}.
 *
 * <p>Implementations are immutable and thread-safe. Every method rejects {@code null} arguments with a
 * {@link NullPointerException} naming the argument; any {@code String}, lone surrogates included, is valid text.
 */
public interface Tokenizer {

  /** Encodes one text or pair. Padding options other than {@code MAX_LENGTH} have no effect on one input. */
  Encoding encode(TextInput input, EncodeOptions options);

  /** Encodes one text with special tokens, without truncation or padding. */
  default Encoding encode(String text) {
    return encode(TextInput.of(text), EncodeOptions.DEFAULT);
  }

  /** Encodes a pair of texts with special tokens ({@code [CLS] A [SEP] B [SEP]}), without truncation or padding. */
  default Encoding encode(String text, String textPair) {
    return encode(TextInput.pair(text, textPair), EncodeOptions.DEFAULT);
  }

  /**
   * Encodes inputs together, padded as the options say, ready for a model.
   *
   * @throws IllegalArgumentException if {@code inputs} is empty, or the options leave the encodings of unequal
   *     length (a batch of several inputs needs padding unless all have one length)
   */
  BatchEncoding encodeBatch(List<TextInput> inputs, EncodeOptions options);

  /**
   * Pads already-encoded inputs into one batch, as Python's {@code tokenizer.pad}: only the padding options are
   * used. Lets a caller encode once, then group encodings into batches of its choosing.
   *
   * @throws IllegalArgumentException if {@code encodings} is empty, or the options leave them of unequal length
   */
  BatchEncoding pad(List<Encoding> encodings, EncodeOptions options);

  /** Splits a text into tokens, without special tokens (Python's {@code tokenizer.tokenize}). */
  List<String> tokenize(String text);

  /** Maps tokens to ids; a token outside the vocabulary maps to the unknown token's id. */
  int[] convertTokensToIds(List<String> tokens);

  /**
   * Maps ids to tokens.
   *
   * @throws IllegalArgumentException if an id is outside the vocabulary
   */
  List<String> convertIdsToTokens(int[] ids);

  /**
   * Turns ids back into text, joining {@code ##} continuation pieces.
   *
   * @param skipSpecialTokens leave out {@code [CLS]}, {@code [SEP]}, {@code [PAD]} and the other special tokens
   * @param cleanUpTokenizationSpaces remove spaces before punctuation and contractions, as Python does
   */
  String decode(int[] ids, boolean skipSpecialTokens, boolean cleanUpTokenizationSpaces);

  /** Decodes with the tokenizer's own {@code clean_up_tokenization_spaces} setting. */
  String decode(int[] ids, boolean skipSpecialTokens);

  /**
   * Joins tokens into text with the tokenizer's decoder, as Python's {@code convert_tokens_to_string}: {@code ##}
   * pieces glued to the token before. The tokens need not be in the vocabulary.
   */
  String convertTokensToString(List<String> tokens);

  /** Number of entries in the vocabulary, added tokens included. */
  int vocabSize();

  /** The id of the padding token. */
  int padTokenId();

  /** The id of the unknown token ({@code [UNK]}) that stands for text outside the vocabulary, if there is one. */
  OptionalInt unknownTokenId();

  /** The id of the mask token ({@code [MASK]}) masked-language models predict, if the tokenizer defines one. */
  OptionalInt maskTokenId();
}
