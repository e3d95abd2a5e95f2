package dev.jtransformers.heads;

import dev.jtransformers.spi.Head;
import dev.jtransformers.spi.HeadContext;
import dev.jtransformers.spi.HeadFactory;

/** A provider whose constructor fails, as one from a jar with a missing dependency would. */
public final class FailingHeadFactory implements HeadFactory {
  public FailingHeadFactory() {
    throw new IllegalStateException("this factory's dependencies are missing");
  }

  @Override
  public String name() {
    return "failing";
  }

  @Override
  public Head create(HeadContext context) {
    throw new AssertionError("never constructed");
  }
}
