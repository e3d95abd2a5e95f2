package dev.jtransformers.server;

import java.util.Locale;

/** The {@code error_type} of an error body, as text-embeddings-inference names them, plus {@code not_found}. */
public enum ErrorType {
  /** The request is malformed, has unknown fields or parameters, or is over a limit. */
  VALIDATION,
  /** The request has no inputs. */
  EMPTY,
  /** The server's queue is full, or the request waited past its timeout. */
  OVERLOADED,
  /** The models are still loading, or the server is shutting down. */
  UNHEALTHY,
  /** The model could not run the request (a fault on the server's side, never the caller's input). */
  BACKEND,
  /** No such route or pipeline. */
  NOT_FOUND;

  /** The wire name, e.g. {@code validation}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
