package dev.jtransformers.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;

/** A JDK {@link HttpClient} on a test server's loopback port. */
final class ServerClient {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private final HttpClient http = HttpClient.newHttpClient();
  private final String base;

  ServerClient(int port) {
    this.base = "http://127.0.0.1:" + port;
  }

  /** An answer: its status, body text, and {@code Retry-After} if any. */
  record Answer(int status, String text, String retryAfter, String requestId) {
    JsonNode json() {
      try {
        return MAPPER.readTree(text);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON (status " + status + "): " + text, e);
      }
    }
  }

  Answer get(String path) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET().build());
  }

  Answer post(String path, String body) {
    return send(request(path, body));
  }

  CompletableFuture<Answer> postAsync(String path, String body) {
    return http.sendAsync(request(path, body), HttpResponse.BodyHandlers.ofString()).thenApply(ServerClient::answer);
  }

  private HttpRequest request(String path, String body) {
    return HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
  }

  private Answer send(HttpRequest request) {
    try {
      return answer(http.send(request, HttpResponse.BodyHandlers.ofString()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static Answer answer(HttpResponse<String> response) {
    return new Answer(response.statusCode(), response.body(),
        response.headers().firstValue("Retry-After").orElse(null),
        response.headers().firstValue("X-Request-Id").orElse(null));
  }
}
