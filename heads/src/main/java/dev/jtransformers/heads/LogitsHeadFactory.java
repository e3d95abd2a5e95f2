package dev.jtransformers.heads;

import dev.jtransformers.spi.Head;
import dev.jtransformers.spi.HeadContext;
import dev.jtransformers.spi.HeadFactory;
import java.util.Set;

/** {@code logits}: the {@code logits} of a graph that already ends in its classifier ({@link OutputHead#logits()}). */
public final class LogitsHeadFactory implements HeadFactory {
  public static final String NAME = "logits";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Head create(HeadContext context) {
    HeadOptions.of(NAME, context, Set.of());
    return OutputHead.logits();
  }
}
