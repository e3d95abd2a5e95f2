package dev.jtransformers.architectures;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The embedding module: the sum of a token's word, position and (BERT only) token-type embeddings, layer-normalised.
 *
 * @param words {@code [vocab_size, hidden]}; a masked LM's decoder is tied to it
 * @param positions {@code [max_position_embeddings, hidden]}
 * @param tokenTypes {@code [type_vocab_size, hidden]}; empty for DistilBERT, which takes no {@code token_type_ids}
 * @param norm over the hidden axis
 */
public record Embeddings(Parameter words, Parameter positions, Optional<Parameter> tokenTypes, LayerNorm norm) {
  public Embeddings {
    Objects.requireNonNull(words, "words");
    Objects.requireNonNull(positions, "positions");
    Objects.requireNonNull(tokenTypes, "tokenTypes");
    Objects.requireNonNull(norm, "norm");
  }

  /** Every parameter, in checkpoint order. */
  public List<Parameter> parameters() {
    List<Parameter> parameters = new ArrayList<>(List.of(words, positions));
    tokenTypes.ifPresent(parameters::add);
    parameters.addAll(norm.parameters());
    return List.copyOf(parameters);
  }
}
