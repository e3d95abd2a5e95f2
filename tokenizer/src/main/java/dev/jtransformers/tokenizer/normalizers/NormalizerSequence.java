package dev.jtransformers.tokenizer.wordpiece;

import java.util.List;

/** Normalisers applied one after the other ({@code "type": "Sequence"}). */
record NormalizerSequence(List<Normalizer> normalizers) implements Normalizer {
  NormalizerSequence {
    normalizers = List.copyOf(normalizers);
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
