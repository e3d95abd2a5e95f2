package dev.jtransformers.hub;

import dev.jtransformers.models.ModelSource;
import dev.jtransformers.models.ResolvedModel;
import dev.jtransformers.spi.ModelFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The Hugging Face Hub as the last link of {@link dev.jtransformers.models.ModelResolver}'s chain: a name of the form
 * {@code org/name} or {@code org/name@revision} (that is no local directory or embedded id) is taken from the cache,
 * or downloaded into it. Registered in {@code META-INF/services}, so putting {@code jtransformers-hub} on the
 * classpath is all it takes; the discovered instance reads its settings from the environment (see {@link
 * HubSettings}). Thread-safe.
 */
public final class HubModelSource implements ModelSource {
  /** The source's name. */
  public static final String NAME = "huggingface-hub";

  private final Hub hub;

  /** The hub as the environment configures it; nothing is read from the network until a model is resolved. */
  public HubModelSource() {
    this(new Hub(HubSettings.fromEnvironment()));
  }

  public HubModelSource(Hub hub) {
    this.hub = Objects.requireNonNull(hub, "hub");
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Optional<ResolvedModel> resolve(String modelId, List<ModelFormat> weightFormats) {
    return HubModelId.parse(modelId)
        .map(id -> hub.snapshot(id, FileSelection.of(weightFormats)))
        .map(snapshot -> new ResolvedModel(snapshot.directory(), Optional.of(snapshot.commit())));
  }

  @Override
  public String toString() {
    return "HubModelSource[" + hub + "]";
  }
}
