package dev.jtransformers.server;

import dev.jtransformers.pipelines.TaskPipeline;
import dev.jtransformers.pipelines.spi.TaskRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pipeline's queue and the thread that empties it: concurrent requests are cut into batches by {@link
 * BatchingSettings} and each batch goes to the pipeline in one {@link TaskPipeline#process} call, which sorts its
 * inputs by length, so small requests share forward passes. A batch that fails is run again request by request, so
 * a bad request fails alone. {@link #close} takes no more requests and returns once the accepted ones are done.
 *
 * @param <O> the task's result for one input
 */
final class DynamicBatcher<O> implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DynamicBatcher.class);
  /** How often an idle batcher looks whether it is closing. */
  private static final long IDLE_POLL_MS = 50;

  private final String name;
  private final TaskPipeline<O> pipeline;
  private final BatchingSettings settings;
  private final ServerMetrics.BatchMeters meters;
  private final BlockingQueue<Entry<O>> queue;
  private final Thread thread;
  /** Guarded by {@code this}, so that no request is queued after the batcher has seen it closing. */
  private boolean closing;
  /** A request taken from the queue that didn't fit its batch: it starts the next one. */
  private Entry<O> carried;

  DynamicBatcher(String name, TaskPipeline<O> pipeline, BatchingSettings settings, ServerMetrics metrics) {
    this.name = name;
    this.pipeline = pipeline;
    this.settings = settings;
    this.queue = new ArrayBlockingQueue<>(settings.maxQueue());
    this.meters = metrics.batchMeters(name, queue::size);
    this.thread = new Thread(this::run, "batcher-" + name);
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Queues one request's inputs, which stay together in one batch.
   *
   * @param tokens what they count against {@link BatchingSettings#maxBatchTokens()}
   * @return their results, in order; completed exceptionally with the pipeline's exception if they fail, or with a
   *     {@link java.util.concurrent.TimeoutException} past the request timeout
   * @throws ApiException 429 if the queue is full, 503 if the server is shutting down
   */
  CompletableFuture<List<O>> submit(List<TaskRequest> requests, int tokens) {
    Entry<O> entry = new Entry<>(List.copyOf(requests), tokens, System.nanoTime(), new CompletableFuture<>());
    synchronized (this) {
      if (closing) {
        throw ApiException.unavailable("the server is shutting down");
      }
      if (!queue.offer(entry)) {
        throw ApiException.overloaded("pipeline " + name + " has " + settings.maxQueue() + " requests waiting;"
            + " retry later", retryAfter());
      }
    }
    // The timeout completes the entry itself, so a batch not yet run skips it.
    return entry.result.orTimeout(settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
  }

  /** About the time the queue takes to drain, rounded up to whole seconds for {@code Retry-After}. */
  private Duration retryAfter() {
    double batchSeconds = meters.duration().mean(TimeUnit.SECONDS);
    double batches = Math.ceil((double) settings.maxQueue() / settings.maxBatchRequests());
    return Duration.ofSeconds(Math.max(1, (long) Math.ceil(batches * batchSeconds)));
  }

  private void run() {
    try {
      List<Entry<O>> batch;
      while ((batch = nextBatch()) != null) {
        runBatch(batch);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The next batch to run; null once closing with nothing left. */
  private List<Entry<O>> nextBatch() throws InterruptedException {
    Entry<O> first = carried;
    carried = null;
    while (first == null) {
      first = queue.poll(IDLE_POLL_MS, TimeUnit.MILLISECONDS);
      if (first == null && isClosing() && queue.isEmpty()) {
        return null;
      }
    }
    List<Entry<O>> batch = new ArrayList<>();
    batch.add(first);
    long tokens = first.tokens;
    long deadline = first.arrived + settings.maxWait().toNanos();
    while (batch.size() < settings.maxBatchRequests()) {
      Entry<O> next = queue.poll();
      if (next == null) {
        long wait = deadline - System.nanoTime();
        if (wait <= 0 || isClosing()) {
          break;
        }
        next = queue.poll(wait, TimeUnit.NANOSECONDS);
        if (next == null) {
          break;
        }
      }
      if (tokens + next.tokens > settings.maxBatchTokens()) {
        carried = next;
        break;
      }
      batch.add(next);
      tokens += next.tokens;
    }
    return batch;
  }

  private synchronized boolean isClosing() {
    return closing;
  }

  private void runBatch(List<Entry<O>> taken) {
    long start = System.nanoTime();
    // Requests that timed out while waiting are answered already: don't spend a forward pass on them.
    List<Entry<O>> batch = taken.stream().filter(e -> !e.result.isDone()).toList();
    if (batch.isEmpty()) {
      return;
    }
    List<TaskRequest> inputs = new ArrayList<>();
    long tokens = 0;
    for (Entry<O> entry : batch) {
      meters.queueWait().record(start - entry.arrived, TimeUnit.NANOSECONDS);
      inputs.addAll(entry.requests);
      tokens += entry.tokens;
    }
    meters.size().record(inputs.size());
    meters.tokens().record(tokens);
    try {
      List<O> outputs = pipeline.process(inputs);
      int next = 0;
      for (Entry<O> entry : batch) {
        entry.result.complete(outputs.subList(next, next + entry.requests.size()));
        next += entry.requests.size();
      }
    } catch (RuntimeException e) {
      if (batch.size() == 1) {
        batch.get(0).result.completeExceptionally(e);
      } else {
        LOG.debug("pipeline {}: a batch of {} requests failed ({}); running them one by one", name, batch.size(),
            e.toString());
        batch.forEach(this::runAlone);
      }
    } finally {
      meters.duration().record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    }
  }

  private void runAlone(Entry<O> entry) {
    try {
      entry.result.complete(pipeline.process(entry.requests));
    } catch (RuntimeException e) {
      entry.result.completeExceptionally(e);
    }
  }

  /**
   * Takes no more requests, and returns once every accepted one is answered, or once a batch's wait and a request's
   * timeout have passed (by then every accepted request is answered, if only with its timeout).
   */
  @Override
  public void close() throws InterruptedException {
    synchronized (this) {
      closing = true;
    }
    long patience = settings.maxWait().plus(settings.requestTimeout()).toMillis();
    thread.join(patience);
    if (thread.isAlive()) {
      LOG.warn("pipeline {}: {} requests still queued after {} ms of shutdown", name, queue.size(), patience);
    }
  }

  /** One request's inputs and their result. */
  private record Entry<O>(List<TaskRequest> requests, int tokens, long arrived, CompletableFuture<List<O>> result) {}
}
