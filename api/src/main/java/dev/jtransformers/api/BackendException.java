package dev.jtransformers.api;

/**
 * No backend could be chosen (none on the classpath, an unknown name, an unsupported device), or an engine
 * failed while running a model. Selection errors say which artifact to add.
 */
public class BackendException extends TransformersException {
  private static final long serialVersionUID = 1L;

  public BackendException(String message) {
    super(message);
  }

  public BackendException(String message, Throwable cause) {
    super(message, cause);
  }
}
