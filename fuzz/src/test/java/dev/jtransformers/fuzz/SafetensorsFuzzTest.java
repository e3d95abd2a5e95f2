package dev.jtransformers.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.jtransformers.api.ModelLoadException;
import dev.jtransformers.models.safetensors.SafetensorsFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Any bytes as a {@code .safetensors} file: every tensor readable as float, or a {@link ModelLoadException} naming
 * the file — never another exception, nor an allocation beyond what the file holds.
 */
class SafetensorsFuzzTest {
  private static final Path FILE = temporaryFile();

  @FuzzTest(maxDuration = "60s")
  void readsOrRefuses(byte[] bytes) throws IOException {
    Files.write(FILE, bytes);
    try (SafetensorsFile file = SafetensorsFile.open(FILE)) {
      for (String name : file.names()) {
        try {
          file.getFloat(name);
        } catch (ModelLoadException e) {
          // a dtype that is not a float, or a tensor too large: refused by name
        }
      }
    } catch (ModelLoadException e) {
      // malformed: refused naming the file
    }
  }

  private static Path temporaryFile() {
    try {
      Path file = Files.createTempFile("fuzz", ".safetensors");
      file.toFile().deleteOnExit();
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
