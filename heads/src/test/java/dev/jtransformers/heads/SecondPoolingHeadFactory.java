package dev.jtransformers.heads;

import dev.jtransformers.spi.Head;
import dev.jtransformers.spi.HeadContext;
import dev.jtransformers.spi.HeadFactory;

/** A provider that claims a built-in head's name. */
public final class SecondPoolingHeadFactory implements HeadFactory {
  @Override
  public String name() {
    return PoolingHeadFactory.NAME;
  }

  @Override
  public Head create(HeadContext context) {
    return OutputHead.hiddenStates();
  }
}
