package dev.jtransformers.tokenizer;

import dev.jtransformers.api.EncodeOptions;
import dev.jtransformers.api.EncodeOptions.Padding;
import dev.jtransformers.api.Encoding;
import dev.jtransformers.api.TokenizerException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * Hugging Face's {@code pad_encodings}: pads the token sequences of a batch, overflowing windows included, to the
 * longest of them or to the maximum length, rounded up to a multiple, with the tokenizer's padding token. Immutable.
 */
final class Padder {
  private final String padToken;
  private final OptionalInt padTokenId;

  /**
   * @param padToken the padding token, or {@code null} when the tokenizer has none
   * @param padTokenId its id, empty when the tokenizer has none
   */
  Padder(String padToken, OptionalInt padTokenId) {
    this.padToken = padToken;
    this.padTokenId = padTokenId;
  }

  /**
   * The id of the padding token.
   *
   * @throws TokenizerException if the tokenizer has none
   */
  int padTokenId() {
    return padTokenId.orElseThrow(() -> new TokenizerException("the tokenizer has no padding token (pad_token)"));
  }

  /**
   * The sequences as encodings, padded as the options say.
   *
   * @throws TokenizerException if padding is asked for and the tokenizer has no padding token
   */
  List<Encoding> pad(List<TokenSequence> sequences, EncodeOptions options) {
    List<Encoding> encodings = new ArrayList<>(sequences.size());
    if (options.padding() == Padding.NONE) {
      for (TokenSequence sequence : sequences) {
        encodings.add(sequence.toEncoding());
      }
      return encodings;
    }
    if (padTokenId.isEmpty()) {
      throw new TokenizerException("padding asked for, but the tokenizer has no padding token (pad_token)");
    }
    int longest = 0;
    for (TokenSequence sequence : sequences) {
      longest = Math.max(longest, sequence.length());
    }
    int length = options.padding() == Padding.MAX_LENGTH ? options.maxLength() : longest;
    int multiple = options.padToMultipleOf();
    if (multiple > 0 && length % multiple != 0) {
      length += multiple - length % multiple;
    }
    for (TokenSequence sequence : sequences) {
      sequence.pad(length, padTokenId.getAsInt(), 0, padToken, options.paddingSide());
      encodings.add(sequence.toEncoding());
    }
    return encodings;
  }
}
