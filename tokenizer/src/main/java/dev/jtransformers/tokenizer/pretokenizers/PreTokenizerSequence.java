package dev.jtransformers.tokenizer.pretokenizers;

import dev.jtransformers.tokenizer.ComponentFactory;
import dev.jtransformers.tokenizer.ConfigSection;
import dev.jtransformers.tokenizer.NormalizedText;
import dev.jtransformers.tokenizer.PreTokenizer;
import dev.jtransformers.tokenizer.Splits;
import dev.jtransformers.tokenizer.Stage;
import java.util.List;

/** Pre-tokenisers applied one after the other, each to every word of the previous ({@code "type": "Sequence"}). */
public record PreTokenizerSequence(List<PreTokenizer> preTokenizers) implements PreTokenizer {
  public PreTokenizerSequence {
    preTokenizers = List.copyOf(preTokenizers);
  }

  /** Reads {@code {"type": "Sequence", "pretokenizers": [...]}}, each element a pre-tokenizer of any type. */
  public static final class Factory extends ComponentFactory<PreTokenizer> {
    public Factory() {
      super(Stage.PRE_TOKENIZER, "Sequence");
    }

    @Override
    public PreTokenizer create(ConfigSection config) {
      return new PreTokenizerSequence(config.components("pretokenizers", Stage.PRE_TOKENIZER));
    }
  }

  @Override
  public void split(NormalizedText text, int from, int to, Splits words) {
    Splits current = new Splits();
    current.add(from, to);
    for (PreTokenizer preTokenizer : preTokenizers) {
      Splits next = new Splits();
      for (int i = 0; i < current.size(); i++) {
        preTokenizer.split(text, current.from(i), current.to(i), next);
      }
      current = next;
    }
    for (int i = 0; i < current.size(); i++) {
      words.add(current.from(i), current.to(i));
    }
  }
}
