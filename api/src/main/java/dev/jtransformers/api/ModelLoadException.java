package dev.jtransformers.api;

/** A model, head or configuration could not be loaded; the message names the file and the problem. */
public class ModelLoadException extends TransformersException {
  private static final long serialVersionUID = 1L;

  public ModelLoadException(String message) {
    super(message);
  }

  public ModelLoadException(String message, Throwable cause) {
    super(message, cause);
  }
}
