package dev.jtransformers.server;

import java.time.Duration;
import java.util.Optional;

/**
 * A request the server answers with an error body {@code {"error": message, "error_type": type}} and a 4xx or 5xx
 * status; the message is meant for the caller and never carries a stack trace.
 */
final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final ErrorType type;
  /** Null when the answer has no {@code Retry-After}. */
  private final transient Duration retryAfter;

  private ApiException(int status, ErrorType type, String message, Duration retryAfter) {
    super(message, null, false, false);
    this.status = status;
    this.type = type;
    this.retryAfter = retryAfter;
  }

  /** 400: the body is not JSON. */
  static ApiException malformed(String message) {
    return new ApiException(400, ErrorType.VALIDATION, message, null);
  }

  /** 422: well-formed JSON that is not a valid request (wrong types, unknown fields or parameters). */
  static ApiException invalid(String message) {
    return new ApiException(422, ErrorType.VALIDATION, message, null);
  }

  /** 413: over a limit (body size, inputs per request, tokens per input). */
  static ApiException tooLarge(String message) {
    return new ApiException(413, ErrorType.VALIDATION, message, null);
  }

  /** 400: no inputs. */
  static ApiException empty(String message) {
    return new ApiException(400, ErrorType.EMPTY, message, null);
  }

  /** 429 with {@code Retry-After}: the pipeline's queue is full. */
  static ApiException overloaded(String message, Duration retryAfter) {
    return new ApiException(429, ErrorType.OVERLOADED, message, retryAfter);
  }

  /** 503: the request waited past its timeout. */
  static ApiException timedOut(String message) {
    return new ApiException(503, ErrorType.OVERLOADED, message, null);
  }

  /** 503: not ready yet, or shutting down. */
  static ApiException unavailable(String message) {
    return new ApiException(503, ErrorType.UNHEALTHY, message, null);
  }

  /** 404: no such route or pipeline. */
  static ApiException notFound(String message) {
    return new ApiException(404, ErrorType.NOT_FOUND, message, null);
  }

  /** 424: the pipeline can't serve this route, or failed on the server's side. */
  static ApiException backend(String message) {
    return new ApiException(424, ErrorType.BACKEND, message, null);
  }

  int status() {
    return status;
  }

  ErrorType type() {
    return type;
  }

  /** How long a client should wait before retrying, for {@code Retry-After}. */
  Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
