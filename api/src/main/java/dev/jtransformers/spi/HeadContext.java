package dev.jtransformers.spi;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link HeadFactory} gets to build a head: the model directory (with its {@code config.json} and
 * weights) and the head's options from configuration.
 *
 * @param modelDirectory the resolved local model directory
 * @param options the head's options as strings, e.g. {@code pooling=mean}, {@code path=/heads/mine}
 */
public record HeadContext(Path modelDirectory, Map<String, String> options) {

  public HeadContext {
    Objects.requireNonNull(modelDirectory, "modelDirectory");
    options = Map.copyOf(options);
  }

  /** The option of that name, if given. */
  public Optional<String> option(String name) {
    return Optional.ofNullable(options.get(name));
  }
}
