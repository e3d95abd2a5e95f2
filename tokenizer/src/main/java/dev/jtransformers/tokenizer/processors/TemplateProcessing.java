package dev.jtransformers.tokenizer.processors;

import dev.jtransformers.tokenizer.ComponentFactory;
import dev.jtransformers.tokenizer.ConfigSection;
import dev.jtransformers.tokenizer.PostProcessor;
import dev.jtransformers.tokenizer.Stage;
import dev.jtransformers.tokenizer.TokenSequence;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Special tokens placed by templates ({@code "type": "TemplateProcessing"}), e.g. {@code [CLS] $A [SEP]} and
 * {@code [CLS] $A [SEP] $B:1 [SEP]:1}. As in Hugging Face, a sequence piece sets the type id of the sequence's
 * tokens but not of its overflowing windows, and without special tokens the template still sets type ids.
 */
public record TemplateProcessing(List<Piece> single, List<Piece> pair, Map<String, SpecialTokens> specialTokens)
    implements PostProcessor {

  /** One element of a template: a sequence ({@code A} or {@code B}) or a special token, with its type id. */
  public record Piece(boolean isSequence, String id, int typeId) {}

  /** The ids and token strings that a special token name of the template stands for. */
  public record SpecialTokens(int[] ids, String[] tokens) {}

  /**
   * Reads {@code {"type": "TemplateProcessing", "single": [...], "pair": [...], "special_tokens": {...}}}: each
   * template piece {@code {"Sequence": {"id": "A", "type_id": 0}}} or {@code {"SpecialToken": {"id": "[CLS]",
   * "type_id": 0}}}, each special token {@code {"ids": [...], "tokens": [...]}}.
   */
  public static final class Factory extends ComponentFactory<PostProcessor> {
    public Factory() {
      super(Stage.POST_PROCESSOR, "TemplateProcessing");
    }

    @Override
    public PostProcessor create(ConfigSection config) {
      // Left out, it defines none; a template that uses one is then rejected by name.
      Map<String, SpecialTokens> specials =
          config.optionalSection("special_tokens").map(Factory::specialTokens).orElse(Map.of());
      return new TemplateProcessing(template(config, "single"), template(config, "pair"), specials);
    }

    private static Map<String, SpecialTokens> specialTokens(ConfigSection section) {
      Map<String, SpecialTokens> specials = new HashMap<>();
      for (String name : section.fieldNames()) {
        ConfigSection special = section.section(name);
        int[] ids = special.integers("ids");
        List<String> tokens = special.strings("tokens");
        if (ids.length != tokens.size()) {
          throw special.error("special token " + name + " has " + ids.length + " ids but " + tokens.size() + " tokens");
        }
        specials.put(name, new SpecialTokens(ids, tokens.toArray(String[]::new)));
      }
      return specials;
    }

    private static List<Piece> template(ConfigSection config, String field) {
      return config.sections(field).stream().map(Factory::piece).toList();
    }

    private static Piece piece(ConfigSection piece) {
      for (String kind : List.of("Sequence", "SpecialToken")) {
        if (piece.has(kind)) {
          ConfigSection s = piece.section(kind);
          return new Piece(kind.equals("Sequence"), s.string("id"), s.integer("type_id", 0));
        }
      }
      throw piece.error("a template piece must be a Sequence or a SpecialToken");
    }
  }

  public TemplateProcessing {
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
