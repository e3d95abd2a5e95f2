package dev.jtransformers.finetuning.fake;

import dev.jtransformers.backend.onnx.OnnxBackend;

/** Breaks a rule on purpose: fine-tuning may use the backend that trains (pytorch), not another one. */
public final class FineTuningOnOnnx {
  private FineTuningOnOnnx() {}

  /** Uses ONNX Runtime's backend. */
  public static String backend() {
    return new OnnxBackend().name();
  }
}
