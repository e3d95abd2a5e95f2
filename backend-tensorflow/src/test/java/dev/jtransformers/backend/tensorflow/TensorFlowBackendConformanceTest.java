package dev.jtransformers.backend.tensorflow;

import dev.jtransformers.backend.tck.BackendConformanceTest;
import dev.jtransformers.backend.tck.Capability;
import dev.jtransformers.backend.tck.Fixture;
import dev.jtransformers.spi.Backend;
import dev.jtransformers.spi.ModelFormat;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;

/**
 * TensorFlow against the conformance kit, once per format it reads: every fixture's {@code model.safetensors} and
 * ONNX initializers (the embedded model's too) as a built-in graph, and the SavedModel {@link SavedModelExporter}
 * writes from the safetensors, reloaded, so the kit's checks against Hugging Face's outputs cover the export too.
 */
class TensorFlowBackendConformanceTest extends BackendConformanceTest {
  @TempDir static Path exports; // one for the class: the exports outlive each test

  private final Map<Fixture, Path> exported = new HashMap<>();

  @Override
  protected Backend createBackend() {
    return new TensorFlowBackend();
  }

  @Override
  protected Set<Fixture> fixtures() {
    return EnumSet.allOf(Fixture.class);
  }

  @Override
  protected Set<Capability> capabilities() {
    return EnumSet.of(Capability.TOKEN_TYPE_IDS);
  }

  @Override
  protected synchronized Optional<Path> modelDirectory(Fixture fixture, ModelFormat format) {
    if (format != ModelFormat.TENSORFLOW_SAVED_MODEL || !fixture.formats().contains(ModelFormat.SAFETENSORS)) {
      return super.modelDirectory(fixture, format);
    }
    return Optional.of(exported.computeIfAbsent(fixture, this::export));
  }

  private Path export(Fixture fixture) {
    Path out = exports.resolve(fixture.directoryName());
    new SavedModelExporter().export(loadRequest(fixture.directory(), ModelFormat.SAFETENSORS), out);
    return out;
  }
}
