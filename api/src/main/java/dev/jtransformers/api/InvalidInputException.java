package dev.jtransformers.api;

/** An input can't be processed as asked, e.g. a text longer than the model accepts with truncation off. */
public class InvalidInputException extends TransformersException {
  private static final long serialVersionUID = 1L;

  public InvalidInputException(String message) {
    super(message);
  }

  public InvalidInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
