package dev.jtransformers.api;

/**
 * Base of every error JTransformers raises on purpose. Unchecked: callers catch the subtype they can act on.
 *
 * <p>Plain caller mistakes use the JDK types instead: {@link NullPointerException} for a {@code null} argument,
 * {@link IllegalArgumentException} for a malformed one, {@link IllegalStateException} for use after close.
 */
public class TransformersException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public TransformersException(String message) {
    super(message);
  }

  public TransformersException(String message, Throwable cause) {
    super(message, cause);
  }
}
