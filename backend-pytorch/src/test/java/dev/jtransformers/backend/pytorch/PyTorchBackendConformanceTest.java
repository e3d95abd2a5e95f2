package dev.jtransformers.backend.pytorch;

import dev.jtransformers.backend.tck.BackendConformanceTest;
import dev.jtransformers.backend.tck.Fixture;
import dev.jtransformers.spi.Backend;
import java.util.EnumSet;
import java.util.Set;

/**
 * libtorch against the conformance kit, once per format it reads: TorchScript (the tiny fixtures ship {@code
 * model.pt}), the built-in networks from safetensors, and from ONNX initializers (which includes the embedded
 * all-MiniLM-L6-v2).
 */
class PyTorchBackendConformanceTest extends BackendConformanceTest {
  @Override
  protected Backend createBackend() {
    return new PyTorchBackend();
  }

  @Override
  protected Set<Fixture> fixtures() {
    return EnumSet.allOf(Fixture.class);
  }
}
