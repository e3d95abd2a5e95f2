package dev.jtransformers.backend.tck;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The shared fixture folder: the build passes its location as the system property {@value #PROPERTY}
 * ({@code ../shared} next to the project). A fresh clone has none, so tests that need it skip, saying why.
 */
final class SharedFolder {
  static final String PROPERTY = "jtransformers.shared";

  private SharedFolder() {}

  /** A path inside the shared folder; skips the calling test when it does not exist. */
  static Path resolve(String relative) {
    String shared = System.getProperty(PROPERTY, "../shared");
    Path path = Path.of(shared).resolve(relative);
    assumeTrue(
        Files.exists(path), () -> shared + " absent: skipping the test that needs " + relative + " from it");
    return path;
  }
}
