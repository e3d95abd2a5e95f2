package dev.jtransformers.pipelines.tasks;

import dev.jtransformers.api.BatchEncoding;
import dev.jtransformers.api.Encoding;
import dev.jtransformers.api.ModelOutput;
import dev.jtransformers.api.Tensor;
import dev.jtransformers.spi.Head;
import java.util.Arrays;
import java.util.Set;

/**
 * The masked LM's vocabulary logits at the mask positions only, {@code [batch, masks, vocab]}: row {@code m} of an
 * input is its {@code m}-th mask, in text order; rows past an input's own masks are zeros. Fill-mask reads nothing
 * else, and copying only these rows spares a copy of the whole {@code [batch, sequence, vocab]} tensor per batch.
 *
 * @param maskTokenId the id of the mask token
 */
record MaskedLogitsHead(int maskTokenId) implements Head {

  /** @throws IllegalArgumentException if the model has no {@code [batch, sequence, vocab]} logits for the batch */
  @Override
  public Set<String> requiredOutputs() {
    return Set.of(ModelOutput.LOGITS);
  }

  @Override
  public Tensor apply(ModelOutput output, BatchEncoding batch) {
    Tensor logits = output.get(ModelOutput.LOGITS);
    if (logits.rank() != 3 || logits.dim(0) != batch.size() || logits.dim(1) != batch.sequenceLength()) {
      throw new IllegalArgumentException("masked-LM logits have shape " + Arrays.toString(logits.shape())
          + ", expected [batch=" + batch.size() + ", sequence=" + batch.sequenceLength() + ", vocab]");
    }
    int sequence = logits.dim(1);
    int vocab = logits.dim(2);
    int masks = 0;
    for (Encoding encoding : batch.encodings()) {
      masks = Math.max(masks, positions(encoding, maskTokenId).length);
    }
    float[] rows = new float[batch.size() * masks * vocab];
    for (int b = 0; b < batch.size(); b++) {
      int[] positions = positions(batch.get(b), maskTokenId);
      for (int m = 0; m < positions.length; m++) {
        logits.copyTo((b * sequence + positions[m]) * vocab, rows, (b * masks + m) * vocab, vocab);
      }
    }
    return Tensor.wrap(rows, batch.size(), masks, vocab);
  }

  /** Where the mask token is in an encoding, in order. */
  static int[] positions(Encoding encoding, int maskTokenId) {
    int count = 0;
    for (int i = 0; i < encoding.length(); i++) {
      count += encoding.id(i) == maskTokenId ? 1 : 0;
    }
    int[] positions = new int[count];
    int next = 0;
    for (int i = 0; i < encoding.length(); i++) {
      if (encoding.id(i) == maskTokenId) {
        positions[next++] = i;
      }
    }
    return positions;
  }
}
