package dev.jtransformers.hub;

import dev.jtransformers.api.ModelLoadException;
import java.util.OptionalInt;

/**
 * The Hugging Face Hub could not provide a model: it refused (a gated or private repository without a token), has
 * no such repository, revision or file, could not be reached, or sent a file that does not match its ETag; or the
 * model is not in the cache while offline. The message names the repository, the file or URL, and what to do.
 */
public class HubException extends ModelLoadException {
  private static final long serialVersionUID = 1L;

  private final int status;

  HubException(String message) {
    this(message, 0, null);
  }

  HubException(String message, Throwable cause) {
    this(message, 0, cause);
  }

  HubException(String message, int status, Throwable cause) {
    super(message, cause);
    this.status = status;
  }

  /** The HTTP status the hub answered with; empty when it was not reached or did not answer with an error. */
  public OptionalInt status() {
    return status == 0 ? OptionalInt.empty() : OptionalInt.of(status);
  }

  /** Whether the hub said the repository, revision or file does not exist: a cached copy is no substitute. */
  boolean notFound() {
    return status == 404;
  }
}
