package dev.jtransformers.pipelines.fake;

import ai.onnxruntime.OrtSession;
import dev.jtransformers.backend.onnx.OnnxBackend;

/** Breaks the rules on purpose: pipeline code that names a backend and calls its engine itself. */
public final class PipelineUsingAnEngine {
  private final OnnxBackend backend;
  private final OrtSession session;

  PipelineUsingAnEngine(OnnxBackend backend, OrtSession session) {
    this.backend = backend;
    this.session = session;
  }

  @Override
  public String toString() {
    return backend.name() + " " + session;
  }
}
