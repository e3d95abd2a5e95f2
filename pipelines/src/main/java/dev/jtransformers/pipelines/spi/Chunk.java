package dev.jtransformers.pipelines.spi;

import dev.jtransformers.api.Encoding;
import dev.jtransformers.api.Tensor;
import java.util.Objects;

/**
 * One chunk of an input after the model and head ran: a window of a long text, a premise/hypothesis pair, or the
 * whole input for most tasks.
 *
 * @param encoding the chunk as the model saw it, padded to its batch's length (its attention mask tells padding)
 * @param output the head's output for this chunk: its row of the batch tensor
 */
public record Chunk(Encoding encoding, Tensor output) {

  public Chunk {
    Objects.requireNonNull(encoding, "encoding");
    Objects.requireNonNull(output, "output");
  }
}
