package dev.jtransformers.tokenizer.wordpiece;

import java.util.List;
import java.util.Map;

/**
 * Special tokens placed by templates ({@code "type": "TemplateProcessing"}), e.g. {@code [CLS] $A [SEP]} and
 * {@code [CLS] $A [SEP] $B:1 [SEP]:1}. As in Hugging Face, a sequence piece sets the type id of the sequence's
 * tokens but not of its overflowing windows, and without special tokens the template still sets type ids.
 */
record TemplateProcessing(List<Piece> single, List<Piece> pair, Map<String, SpecialTokens> specialTokens)
    implements PostProcessor {

  /** One element of a template: a sequence ({@code A} or {@code B}) or a special token, with its type id. */
  record Piece(boolean isSequence, String id, int typeId) {}

  /** The ids and token strings that a special token name of the template stands for. */
  record SpecialTokens(int[] ids, String[] tokens) {}

  TemplateProcessing {
    single = List.copyOf(single);
    pair = List.copyOf(pair);
    specialTokens = Map.copyOf(specialTokens);
    for (List<Piece> template : List.of(single, pair)) {
      for (Piece piece : template) {
        if (piece.isSequence() && !piece.id().equals("A") && !piece.id().equals("B")) {
          throw new IllegalArgumentException("unknown sequence " + piece.id() + " in template (A or B expected)");
        }
        if (!piece.isSequence() && !specialTokens.containsKey(piece.id())) {
          throw new IllegalArgumentException("template uses special token " + piece.id() + ", which it does not define");
        }
      }
    }
  }

  @Override
  public int addedTokens(boolean isPair) {
    int count = 0;
    for (Piece piece : isPair ? pair : single) {
      if (!piece.isSequence()) {
        count += specialTokens.get(piece.id()).ids().length;
      }
    }
    return count;
  }

  @Override
  public TokenSequence process(TokenSequence first, TokenSequence second, boolean addSpecialTokens) {
    TokenSequence result = new TokenSequence(0);
    for (Piece piece : second == null ? single : pair) {
      if (piece.isSequence()) {
        TokenSequence sequence = piece.id().equals("A") ? first : second;
        sequence.setTypeIds(piece.typeId());
        result = result.merge(sequence);
      } else if (addSpecialTokens) {
        SpecialTokens special = specialTokens.get(piece.id());
        result = result.merge(TokenSequence.special(special.ids(), special.tokens(), piece.typeId()));
      }
    }
    return result;
  }
}
