package dev.jtransformers.models;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A model argument resolved to a local directory.
 *
 * @param directory the model directory, absolute
 * @param commit the commit of a versioned source (the Hugging Face Hub) the files were taken at; empty for a local
 *     directory or an embedded model
 */
public record ResolvedModel(Path directory, Optional<String> commit) {
  public ResolvedModel {
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(commit, "commit");
  }

  /** A directory that is not versioned by any source. */
  public static ResolvedModel local(Path directory) {
    return new ResolvedModel(directory, Optional.empty());
  }
}
