package dev.jtransformers.tokenizer.processors;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jtransformers.tokenizer.ComponentFactory;
import dev.jtransformers.tokenizer.ConfigSection;
import dev.jtransformers.tokenizer.PostProcessor;
import dev.jtransformers.tokenizer.Stage;
import dev.jtransformers.tokenizer.TokenSequence;
import java.util.ArrayList;
import java.util.List;

/**
 * BERT's special tokens ({@code "type": "BertProcessing"}): {@code [CLS] A [SEP]} and {@code [CLS] A [SEP] B
 * [SEP]}, the second sequence and its separator with type id 1. Overflowing windows get the same treatment.
 */
public record BertProcessing(String sepToken, int sepId, String clsToken, int clsId) implements PostProcessor {

  /** Reads {@code {"type": "BertProcessing", "sep": ["[SEP]", 102], "cls": ["[CLS]", 101]}}. */
  public static final class Factory extends ComponentFactory<PostProcessor> {
    public Factory() {
      super(Stage.POST_PROCESSOR, "BertProcessing");
    }

    @Override
    public PostProcessor create(ConfigSection config) {
      JsonNode sep = config.value("sep");
      JsonNode cls = config.value("cls");
      if (!isTokenAndId(sep) || !isTokenAndId(cls)) {
        throw config.error("BertProcessing sep and cls must be [token, id] pairs");
      }
      return new BertProcessing(sep.get(0).asText(), sep.get(1).asInt(), cls.get(0).asText(), cls.get(1).asInt());
    }

    private static boolean isTokenAndId(JsonNode pair) {
      return pair.isArray() && pair.size() == 2 && pair.get(0).isTextual() && pair.get(1).canConvertToInt();
    }
  }
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
