package dev.jtransformers.hub;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A model's files at one commit, in the cache.
 *
 * @param id the model and the revision asked for
 * @param commit the commit the revision resolved to
 * @param directory {@code snapshots/{commit}} in the cache: a model directory
 * @param files the files fetched or found for the request, relative to {@code directory}
 * @param downloaded how many of them were downloaded now (0 when all came from the cache)
 */
public record Snapshot(HubModelId id, String commit, Path directory, List<String> files, int downloaded) {
  public Snapshot {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(commit, "commit");
    Objects.requireNonNull(directory, "directory");
    files = List.copyOf(files);
  }
}
