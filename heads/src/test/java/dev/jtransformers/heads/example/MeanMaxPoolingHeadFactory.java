package dev.jtransformers.heads.example;

import dev.jtransformers.api.BatchEncoding;
import dev.jtransformers.api.ModelOutput;
import dev.jtransformers.api.Tensor;
import dev.jtransformers.heads.HeadOptions;
import dev.jtransformers.heads.PoolingHead;
import dev.jtransformers.models.Pooling;
import dev.jtransformers.spi.Head;
import dev.jtransformers.spi.HeadContext;
import dev.jtransformers.spi.HeadFactory;
import java.util.Set;

/**
 * An example of a head written outside JTransformers, using only public types: the mean- and the max-pooled
 * vector side by side, {@code [batch, 2 * hidden]}. Registered in this module's test {@code
 * META-INF/services/dev.jtransformers.spi.HeadFactory}, selected as {@code "mean-max-pooling"}.
 */
public final class MeanMaxPoolingHeadFactory implements HeadFactory {
  @Override
  public String name() {
    return "mean-max-pooling";
  }

  @Override
  public Head create(HeadContext context) {
    boolean normalize = HeadOptions.of(name(), context, Set.of("normalize")).flag("normalize", false);
    return new MeanMaxPoolingHead(new PoolingHead(Pooling.MEAN, normalize), new PoolingHead(Pooling.MAX, normalize));
  }

  private record MeanMaxPoolingHead(PoolingHead mean, PoolingHead max) implements Head {
    @Override
    public Tensor apply(ModelOutput output, BatchEncoding batch) {
      float[][] means = mean.apply(output, batch).toFloatArray2D();
      float[][] maxima = max.apply(output, batch).toFloatArray2D();
      int hidden = means[0].length;
      float[][] both = new float[batch.size()][2 * hidden];
      for (int b = 0; b < both.length; b++) {
        System.arraycopy(means[b], 0, both[b], 0, hidden);
        System.arraycopy(maxima[b], 0, both[b], hidden, hidden);
      }
      return Tensor.of(both);
    }
  }
}
