package dev.jtransformers.spi;

import dev.jtransformers.api.BatchEncoding;
import dev.jtransformers.api.ModelOutput;
import dev.jtransformers.api.Tensor;
import java.util.List;
import java.util.Set;

/**
 * Turns a model's outputs into a task's tensor: pooled sentence vectors {@code [batch, hidden]}, classification
 * logits {@code [batch, labels]}, or the hidden states themselves. Implementations are immutable and
 * thread-safe.
 */
@FunctionalInterface
public interface Head {

  /**
   * @param output what the model returned for the batch
   * @param batch the batch the model ran on (its attention mask drives pooling)
   * @return a tensor whose first dimension is the batch
   */
  Tensor apply(ModelOutput output, BatchEncoding batch);

  /**
   * The model outputs {@link #apply} reads, so that the model may leave the others out ({@link
   * dev.jtransformers.api.Model#forward(BatchEncoding, Set)}). Empty, the default, means it may read any of them.
   */
  default Set<String> requiredOutputs() {
    return Set.of();
  }

  /**
   * The names of a classification head's classes, index by index, when the head itself knows them (a head trained
   * by this project does). Empty, the default, means the model's {@code config.json} {@code id2label} applies.
   */
  default List<String> labels() {
    return List.of();
  }
}
