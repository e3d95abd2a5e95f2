package dev.jtransformers.heads;

import dev.jtransformers.models.Pooling;
import dev.jtransformers.spi.Head;
import dev.jtransformers.spi.HeadContext;
import dev.jtransformers.spi.HeadFactory;
import java.util.Set;

/**
 * {@code pooling}: a {@link PoolingHead}. Options: {@code pooling=mean|cls|max} (default {@code mean}), {@code
 * normalize=true|false} (default {@code false}).
 */
public final class PoolingHeadFactory implements HeadFactory {
  public static final String NAME = "pooling";

  @Override
  public String name() {
    return NAME;
  }

  /** @throws IllegalArgumentException if an option is unknown or malformed */
  @Override
  public Head create(HeadContext context) {
    HeadOptions options = HeadOptions.of(NAME, context, Set.of("pooling", "normalize"));
    return new PoolingHead(options.choice("pooling", Pooling.class, Pooling.MEAN), options.flag("normalize", false));
  }
}
