package dev.jtransformers.pipelines;

import dev.jtransformers.api.BatchEncoding;
import dev.jtransformers.api.Encoding;
import dev.jtransformers.api.Tensor;
import dev.jtransformers.spi.PostProcessor;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a head's batch tensor into one tensor per input: a pooled vector {@code [hidden]} from {@code [batch,
 * hidden]}, or token states {@code [tokens, hidden]} from {@code [batch, sequence, hidden]} with the padding
 * removed, so results do not depend on what an input was batched with.
 */
final class FeaturePostProcessor implements PostProcessor<Tensor> {

  @Override
  public List<Tensor> process(Tensor features, BatchEncoding batch) {
    if (features.dim(0) != batch.size() || features.rank() < 2 || features.rank() > 3) {
      throw new IllegalArgumentException(
          "feature head must return [batch=" + batch.size() + ", hidden] or [batch, sequence, hidden], got "
              + features);
    }
    List<Tensor> results = new ArrayList<>(batch.size());
    for (int b = 0; b < batch.size(); b++) {
      Tensor row = features.slice(b);
      results.add(features.rank() == 2 ? row : withoutPadding(row, batch.get(b)));
    }
    return results;
  }

  private static Tensor withoutPadding(Tensor states, Encoding encoding) {
    int[] mask = encoding.attentionMask();
    int hidden = states.dim(1);
    float[] all = states.toFloatArray();
    int tokens = 0;
    for (int m : mask) {
      tokens += m;
    }
    float[] kept = new float[tokens * hidden];
    int row = 0;
    for (int s = 0; s < mask.length; s++) {
      if (mask[s] != 0) {
        System.arraycopy(all, s * hidden, kept, row++ * hidden, hidden);
      }
    }
    return Tensor.wrap(kept, tokens, hidden);
  }
}
