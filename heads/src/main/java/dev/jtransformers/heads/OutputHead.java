package dev.jtransformers.heads;

import dev.jtransformers.api.BatchEncoding;
import dev.jtransformers.api.ModelOutput;
import dev.jtransformers.api.Tensor;
import dev.jtransformers.spi.Head;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;

/**
 * Passes one of the model's outputs through unchanged, after checking its shape against the batch: the token-level
 * {@code last_hidden_state} for feature extraction, or the {@code logits} of a graph that already ends in its
 * classifier.
 *
 * @param outputName the model output to return
 * @param rank the rank it must have; its first dimension must be the batch
 */
public record OutputHead(String outputName, int rank) implements Head {

  public OutputHead {
    Objects.requireNonNull(outputName, "outputName");
    if (rank < 1) {
      throw new IllegalArgumentException("rank must be at least 1, got " + rank);
    }
  }

  /** {@code last_hidden_state} {@code [batch, sequence, hidden]}. */
  public static OutputHead hiddenStates() {
    return new OutputHead(ModelOutput.LAST_HIDDEN_STATE, 3);
  }

  /** {@code logits} {@code [batch, labels]}. */
  public static OutputHead logits() {
    return new OutputHead(ModelOutput.LOGITS, 2);
  }

  /** @throws IllegalArgumentException if the model has no such output, or it has another rank or batch size */
  /** The output it returns. */
  @Override
  public Set<String> requiredOutputs() {
    return Set.of(outputName);
  }

  @Override
  public Tensor apply(ModelOutput output, BatchEncoding batch) {
    Tensor tensor = output.get(outputName);
    if (tensor.rank() != rank || tensor.dim(0) != batch.size()) {
      throw new IllegalArgumentException(
          "model output '"
              + outputName
              + "' has shape "
              + Arrays.toString(tensor.shape())
              + ", expected rank "
              + rank
              + " with a first dimension of batch size "
              + batch.size());
    }
    return tensor;
  }
}
