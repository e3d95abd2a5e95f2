package dev.jtransformers.spi;

import dev.jtransformers.api.BatchEncoding;
import dev.jtransformers.api.Tensor;
import java.util.List;

/**
 * Turns a head's tensor into one task result per input of the batch: scored labels, an embedding, token
 * states. Implementations are immutable and thread-safe.
 *
 * @param <O> the result for one input
 */
@FunctionalInterface
public interface PostProcessor<O> {

  /**
   * @param headOutput the head's tensor; its first dimension is the batch
   * @param batch the batch it came from
   * @return one result per input, in batch order
   */
  List<O> process(Tensor headOutput, BatchEncoding batch);
}
