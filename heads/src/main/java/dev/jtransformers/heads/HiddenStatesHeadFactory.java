package dev.jtransformers.heads;

import dev.jtransformers.spi.Head;
import dev.jtransformers.spi.HeadContext;
import dev.jtransformers.spi.HeadFactory;
import java.util.Set;

/** {@code hidden-states}: the token-level {@code last_hidden_state}, unchanged ({@link OutputHead#hiddenStates()}). */
public final class HiddenStatesHeadFactory implements HeadFactory {
  public static final String NAME = "hidden-states";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Head create(HeadContext context) {
    HeadOptions.of(NAME, context, Set.of());
    return OutputHead.hiddenStates();
  }
}
