package dev.jtransformers.backend.fake;

import dev.jtransformers.backend.onnx.OnnxBackend;
import dev.jtransformers.heads.Activation;

/** Breaks the rules on purpose: a backend that reaches into another backend and into heads. */
public final class BackendUsingOthers {
  private final OnnxBackend delegate;
  private final Activation activation;

  BackendUsingOthers(OnnxBackend delegate, Activation activation) {
    this.delegate = delegate;
    this.activation = activation;
  }

  @Override
  public String toString() {
    return delegate.name() + " with " + activation;
  }
}
