package dev.jtransformers.models.fake;

import ai.onnxruntime.OrtEnvironment;

/** Breaks the rules on purpose: engine-neutral model code that needs ONNX Runtime. */
public final class ModelsUsingAnEngine {
  private final OrtEnvironment environment;

  ModelsUsingAnEngine(OrtEnvironment environment) {
    this.environment = environment;
  }

  @Override
  public String toString() {
    return environment.toString();
  }
}
