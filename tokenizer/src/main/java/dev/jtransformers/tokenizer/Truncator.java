package dev.jtransformers.tokenizer;

import dev.jtransformers.api.EncodeOptions;
import dev.jtransformers.api.EncodeOptions.Truncation;
import dev.jtransformers.api.InvalidInputException;

/**
 * Hugging Face's {@code truncate_encodings}: the truncation strategies, applied to the token sequences of one input
 * before the post-processor adds its special tokens, whatever model made them.
 */
final class Truncator {
  private Truncator() {}

  /**
   * Cuts the texts of one input to the options' maximum length, the special tokens' room taken off it first; what
   * is cut off becomes overflowing windows of {@code stride} tokens' overlap.
   *
   * @param second the second text of a pair, or {@code null}
   * @throws IllegalArgumentException if the maximum leaves no room for the special tokens, or the stride is too long
   * @throws InvalidInputException if the strategy cannot fit the input (ONLY_FIRST/ONLY_SECOND on a text too short,
   *     ONLY_SECOND without a pair)
   */
  static void truncate(TokenSequence first, TokenSequence second, EncodeOptions options, PostProcessor postProcessor) {
    boolean pair = second != null;
    int special = options.addSpecialTokens() ? postProcessor.addedTokens(pair) : 0;
    int maxLength = options.maxLength() - special;
    if (maxLength < 0) {
      throw new IllegalArgumentException("maxLength " + options.maxLength() + " leaves no room for the " + special
          + " special tokens of " + (pair ? "a pair" : "one sequence"));
    }
    int stride = options.stride();
    int singleRoom = options.maxLength() - (options.addSpecialTokens() ? postProcessor.addedTokens(false) : 0);
    if (stride > singleRoom) {
      throw new IllegalArgumentException("stride " + stride + " is greater than the effective max length "
          + singleRoom + " (maxLength minus special tokens)");
    }
    if (maxLength == 0) {
      first.truncate(0, stride, options.truncationSide());
      if (pair) {
        second.truncate(0, stride, options.truncationSide());
      }
      return;
    }
    int total = first.length() + (pair ? second.length() : 0);
    if (total <= maxLength) {
      return;
    }
    int toRemove = total - maxLength;
    switch (options.truncation()) {
      case LONGEST_FIRST -> {
        if (!pair) {
          first.truncate(maxLength, stride, options.truncationSide());
          return;
        }
        // Keep the shorter whole if it fits in half; else split the room in half, the odd token to the second.
        int n1 = Math.min(first.length(), second.length());
        int n2 = n1 > maxLength ? n1 : Math.max(n1, maxLength - n1);
        if (n1 + n2 > maxLength) {
          n1 = maxLength / 2;
          n2 = n1 + maxLength % 2;
        }
        boolean firstIsLonger = first.length() > second.length();
        first.truncate(firstIsLonger ? n2 : n1, stride, options.truncationSide());
        second.truncate(firstIsLonger ? n1 : n2, stride, options.truncationSide());
      }
      case ONLY_FIRST, ONLY_SECOND -> {
        TokenSequence target = options.truncation() == Truncation.ONLY_FIRST ? first : second;
        if (target == null) {
          throw new InvalidInputException("truncation ONLY_SECOND needs a pair of texts, got one text too long for "
              + options.maxLength() + " tokens");
        }
        if (target.length() <= toRemove) {
          throw new InvalidInputException("truncation " + options.truncation() + " cannot fit the input in "
              + options.maxLength() + " tokens: the truncated text has " + target.length() + " tokens, "
              + toRemove + " would have to go");
        }
        target.truncate(target.length() - toRemove, stride, options.truncationSide());
      }
      default -> throw new AssertionError(options.truncation());
    }
  }
}
