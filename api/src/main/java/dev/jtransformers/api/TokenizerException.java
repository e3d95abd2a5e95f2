package dev.jtransformers.api;

/** A tokenizer configuration is missing, malformed, or of a kind this implementation does not support. */
public class TokenizerException extends TransformersException {
  private static final long serialVersionUID = 1L;

  public TokenizerException(String message) {
    super(message);
  }

  public TokenizerException(String message, Throwable cause) {
    super(message, cause);
  }
}
