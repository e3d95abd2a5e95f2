package dev.jtransformers.models;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** The shared fixture folder ({@code ../shared}, passed by the build as {@code jtransformers.shared}). */
final class SharedFixtures {
  private SharedFixtures() {}

  /** A fixture model directory; skips the calling test when the shared folder is absent. */
  static Path model(String name) {
    String shared = System.getProperty("jtransformers.shared", "../shared");
    Path directory = Path.of(shared, "models", name);
    assumeTrue(
        Files.isDirectory(directory),
        () -> shared + " absent: skipping the test that needs the fixture model " + name);
    return directory;
  }
}
