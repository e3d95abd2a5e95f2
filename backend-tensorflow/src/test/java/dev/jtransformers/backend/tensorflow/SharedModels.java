package dev.jtransformers.backend.tensorflow;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jtransformers.models.Cache;
import dev.jtransformers.models.ModelConfig;
import dev.jtransformers.spi.LoadRequest;
import dev.jtransformers.spi.ModelFormat;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The fixture models of the shared folder beyond the kit's (the task models), which the build passes as the system
 * property {@code jtransformers.shared}; a test that needs one skips, saying why, when the folder is absent.
 */
final class SharedModels {
  private SharedModels() {}

  /** {@code shared/models/<name>}; skips the calling test when it does not exist. */
  static Path directory(String name) {
    String shared = System.getProperty("jtransformers.shared", "../shared");
    Path directory = Path.of(shared, "models", name);
    assumeTrue(Files.isDirectory(directory), () -> shared + " absent: skipping the test that needs models/" + name);
    return directory;
  }

  /** A request to load {@code format} from the directory, with its configuration and the build's cache. */
  static LoadRequest request(Path directory, ModelFormat format) {
    return LoadRequest.builder(directory, format)
        .config(ModelConfig.load(directory).toMap())
        .cacheDirectory(Cache.atDefaultLocation().root())
        .build();
  }
}
