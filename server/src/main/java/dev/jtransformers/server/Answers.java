package dev.jtransformers.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jtransformers.api.InvalidInputException;
import io.javalin.http.Context;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writing answers: JSON bodies, error bodies in TEI's shape, and answers that arrive when a batch is done. */
final class Answers {
  private static final Logger LOG = LoggerFactory.getLogger(Answers.class);
  /** The attribute holding a request's id, which every log line of the request and its error bodies carry. */
  static final String REQUEST_ID = "request-id";

  private final ServerMetrics metrics;

  Answers(ServerMetrics metrics) {
    this.metrics = metrics;
  }

  static void json(Context ctx, int status, JsonNode body) {
    try {
      ctx.status(status).contentType("application/json").result(JsonBodies.MAPPER.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree that can't be written: " + e.getMessage(), e);
    }
  }

  /** Answers {@code {"error": …, "error_type": …}} with the exception's status (and {@code Retry-After}). */
  void error(Context ctx, ApiException e) {
    metrics.error(e.type());
    e.retryAfter().ifPresent(after -> ctx.header("Retry-After", Long.toString(after.toSeconds())));
    ObjectNode body = JsonBodies.MAPPER.createObjectNode().put("error", e.getMessage())
        .put("error_type", e.type().wireName());
    json(ctx, e.status(), body);
  }

  /** Answers once {@code answer} completes, without holding an HTTP thread meanwhile. */
  void later(Context ctx, CompletableFuture<? extends JsonNode> answer) {
    ctx.future(() -> answer.handle((body, failure) -> {
          if (failure == null) {
            json(ctx, 200, body);
          } else {
            error(ctx, toApi(ctx, failure));
          }
          return null;
        }));
  }

  /**
   * What the caller is told about a failure: caller mistakes as 4xx with the pipeline's message; anything else is
   * logged with its trace and answered 424 with the request id only.
   */
  static ApiException toApi(Context ctx, Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause() : failure;
    if (cause instanceof ApiException api) {
      return api;
    }
    if (cause instanceof TimeoutException) {
      return ApiException.timedOut("no answer within the request timeout; the server is overloaded");
    }
    if (cause instanceof InvalidInputException || cause instanceof IllegalArgumentException) {
      return ApiException.invalid(cause.getMessage());
    }
    String id = ctx.attribute(REQUEST_ID);
    LOG.error("request_id={} failed in the pipeline", id, cause);
    return ApiException.backend("the pipeline failed on this request (request id " + id + "); see the server log");
  }
}
