package dev.jtransformers.models.embedded;

import java.util.List;

/**
 * The default sentiment head: a one-hidden-layer classifier (NEGATIVE/POSITIVE) trained by this project on
 * all-MiniLM-L6-v2's mean-pooled, normalised vectors of the GLUE SST-2 training set. A head directory, not a model:
 * it goes after {@link AllMiniLmL6V2}.
 */
public final class AllMiniLmL6V2Sst2Head extends ListedModel {
  /** The id it answers to. */
  public static final String ID = "jtransformers/all-MiniLM-L6-v2-sst2-head";

  private static final String NAME = "all-minilm-l6-v2-sst2-head";

  /** Called by {@link java.util.ServiceLoader}. */
  public AllMiniLmL6V2Sst2Head() {
    super(ID, THIS_ARTIFACT, List.of(ownFile(NAME, "head_config.json"), ownFile(NAME, "head.safetensors")));
  }
}
