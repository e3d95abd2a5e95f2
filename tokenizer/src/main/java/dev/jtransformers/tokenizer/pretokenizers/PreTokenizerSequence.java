package dev.jtransformers.tokenizer.wordpiece;

import java.util.List;

/** Pre-tokenisers applied one after the other, each to every word of the previous ({@code "type": "Sequence"}). */
record PreTokenizerSequence(List<PreTokenizer> preTokenizers) implements PreTokenizer {
  PreTokenizerSequence {
    preTokenizers = List.copyOf(preTokenizers);
  }

  @Override
  public void split(NormalizedText text, int from, int to, Ranges words) {
    Ranges current = new Ranges();
    current.add(from, to);
    for (PreTokenizer preTokenizer : preTokenizers) {
      Ranges next = new Ranges();
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
