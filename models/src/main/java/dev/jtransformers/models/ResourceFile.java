package dev.jtransformers.models;

import java.util.Objects;

/**
 * A classpath resource and the file it becomes inside a directory of the {@link Cache}.
 *
 * @param resource the resource name as {@link ClassLoader#getResource} takes it (no leading {@code /}), e.g.
 *     {@code all-minilm-l6-v2.onnx}
 * @param path where the copy goes, relative to the directory and {@code /}-separated, e.g. {@code onnx/model.onnx}
 */
public record ResourceFile(String resource, String path) {
  public ResourceFile {
    Objects.requireNonNull(resource, "resource");
    Objects.requireNonNull(path, "path");
    if (resource.isEmpty() || resource.startsWith("/")) {
      throw new IllegalArgumentException("resource name must be non-empty without a leading '/': " + resource);
    }
    if (path.isEmpty() || path.startsWith("/") || path.contains("\\") || path.matches("(.*/)?\\.\\.?(/.*)?")) {
      throw new IllegalArgumentException("path must be relative, '/'-separated and without '.' or '..': " + path);
    }
  }
}
