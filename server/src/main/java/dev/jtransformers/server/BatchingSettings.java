package dev.jtransformers.server;

import java.time.Duration;
import java.util.Objects;

/**
 * How a pipeline's queue is cut into batches: a batch takes waiting requests, shortest first within the pipeline's
 * own sorting, until it holds {@code maxBatchTokens} tokens or {@code maxBatchRequests} requests, or {@code maxWait}
 * has passed since its first request arrived. A request is never split: one over the token budget runs alone.
 * {@code maxBatchRequests = 1} turns dynamic batching off (each request is one forward pass, in arrival order).
 *
 * @param maxBatchTokens the token budget of one batch (each input counted at its length, capped at the model's limit)
 * @param maxBatchRequests the most requests in one batch
 * @param maxWait how long a batch waits for more requests once it has one
 * @param maxQueue the most requests waiting per pipeline; beyond it requests get 429 with {@code Retry-After}
 * @param requestTimeout how long a request may wait and run before it is answered 503
 */
public record BatchingSettings(
    int maxBatchTokens, int maxBatchRequests, Duration maxWait, int maxQueue, Duration requestTimeout) {

  /** 16,384 tokens (TEI's default), 256 requests, 2 ms, 512 waiting, 30 s. */
  public static final BatchingSettings DEFAULT =
      new BatchingSettings(16_384, 256, Duration.ofMillis(2), 512, Duration.ofSeconds(30));

  public BatchingSettings {
    requirePositive("max_batch_tokens", maxBatchTokens);
    requirePositive("max_batch_requests", maxBatchRequests);
    requirePositive("max_queue", maxQueue);
    Objects.requireNonNull(maxWait, "maxWait");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    if (maxWait.isNegative()) {
      throw new IllegalArgumentException("max_wait_ms must not be negative, got " + maxWait.toMillis());
    }
    if (requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException("request_timeout_ms must be positive, got " + requestTimeout.toMillis());
    }
  }

  /** These settings with dynamic batching off: one request per forward pass. */
  public BatchingSettings unbatched() {
    return new BatchingSettings(maxBatchTokens, 1, Duration.ZERO, maxQueue, requestTimeout);
  }

  private static void requirePositive(String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be at least 1, got " + value);
    }
  }
}
