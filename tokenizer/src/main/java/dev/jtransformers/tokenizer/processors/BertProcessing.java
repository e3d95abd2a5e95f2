package dev.jtransformers.tokenizer.wordpiece;

import java.util.ArrayList;
import java.util.List;

/**
 * BERT's special tokens ({@code "type": "BertProcessing"}): {@code [CLS] A [SEP]} and {@code [CLS] A [SEP] B
 * [SEP]}, the second sequence and its separator with type id 1. Overflowing windows get the same treatment.
 */
record BertProcessing(String sepToken, int sepId, String clsToken, int clsId) implements PostProcessor {
  @Override
  public int addedTokens(boolean pair) {
    return pair ? 3 : 2;
  }

  @Override
  public TokenSequence process(TokenSequence first, TokenSequence second, boolean addSpecialTokens) {
    if (!addSpecialTokens) {
      return second == null ? first : first.merge(second);
    }
    TokenSequence result = wrap(first, true);
    return second == null ? result : result.merge(wrap(second, false));
  }

  /** {@code [CLS] s [SEP]} for the first sequence, {@code s [SEP]} for the second, windows included. */
  private TokenSequence wrap(TokenSequence sequence, boolean isFirst) {
    TokenSequence sep = TokenSequence.special(new int[] {sepId}, new String[] {sepToken}, isFirst ? 0 : 1);
    TokenSequence body = sequence.withoutOverflowing().merge(sep);
    TokenSequence wrapped =
        isFirst ? TokenSequence.special(new int[] {clsId}, new String[] {clsToken}, 0).merge(body) : body;
    List<TokenSequence> windows = new ArrayList<>();
    for (TokenSequence window : sequence.overflowing()) {
      windows.add(wrap(window, isFirst));
    }
    wrapped.setOverflowing(windows);
    return wrapped;
  }
}
