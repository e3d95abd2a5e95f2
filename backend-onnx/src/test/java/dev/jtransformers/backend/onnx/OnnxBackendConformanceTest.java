package dev.jtransformers.backend.onnx;

import dev.jtransformers.backend.tck.BackendConformanceTest;
import dev.jtransformers.backend.tck.Fixture;
import dev.jtransformers.spi.Backend;
import java.util.EnumSet;
import java.util.Set;

/** ONNX Runtime against the conformance kit: every fixture ships an ONNX graph, and all capabilities apply. */
class OnnxBackendConformanceTest extends BackendConformanceTest {
  @Override
  protected Backend createBackend() {
    return new OnnxBackend();
  }

  @Override
  protected Set<Fixture> fixtures() {
    return EnumSet.allOf(Fixture.class);
  }
}
