package dev.jtransformers.tokenizer.normalizers;

import dev.jtransformers.tokenizer.ComponentFactory;
import dev.jtransformers.tokenizer.ConfigSection;
import dev.jtransformers.tokenizer.NormalizedText;
import dev.jtransformers.tokenizer.Normalizer;
import dev.jtransformers.tokenizer.Stage;
import java.util.List;

/** Normalisers applied one after the other ({@code "type": "Sequence"}). */
public record NormalizerSequence(List<Normalizer> normalizers) implements Normalizer {
  public NormalizerSequence {
    normalizers = List.copyOf(normalizers);
  }

  /** Reads {@code {"type": "Sequence", "normalizers": [...]}}, each element a normalizer of any type. */
  public static final class Factory extends ComponentFactory<Normalizer> {
    public Factory() {
      super(Stage.NORMALIZER, "Sequence");
    }

    @Override
    public Normalizer create(ConfigSection config) {
      return new NormalizerSequence(config.components("normalizers", Stage.NORMALIZER));
    }
  }

  @Override
  public NormalizedText normalize(NormalizedText text) {
    NormalizedText result = text;
    for (Normalizer normalizer : normalizers) {
      result = normalizer.normalize(result);
    }
    return result;
  }
}
