package dev.jtransformers.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The server's meters, scraped at {@code /metrics} in Prometheus' text format: requests and their latency by route
 * and status, errors by type, and per pipeline the queue depth, the time waited in it, and each batch's size, tokens
 * and forward time.
 */
final class ServerMetrics {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  /** Records one answered request. */
  void request(String method, String route, int status, Duration latency) {
    Timer.builder("jtransformers.http.requests")
        .description("HTTP requests by route and status, with their latency")
        .tag("method", method)
        .tag("route", route)
        .tag("status", Integer.toString(status))
        .publishPercentileHistogram()
        .register(registry)
        .record(latency);
  }

  /** Counts one error answer. */
  void error(ErrorType type) {
    Counter.builder("jtransformers.errors")
        .description("Error answers by error_type")
        .tag("error_type", type.wireName())
        .register(registry)
        .increment();
  }

  /** The meters of one pipeline's batcher. */
  BatchMeters batchMeters(String pipeline, Supplier<Number> queueDepth) {
    Gauge.builder("jtransformers.queue.depth", queueDepth)
        .description("Requests waiting for a batch")
        .tag("pipeline", pipeline)
        .register(registry);
    return new BatchMeters(
        Timer.builder("jtransformers.queue.wait").description("Time from arrival to the start of its batch")
            .tag("pipeline", pipeline).publishPercentileHistogram().register(registry),
        DistributionSummary.builder("jtransformers.batch.size").description("Inputs per batch")
            .tag("pipeline", pipeline).publishPercentileHistogram().register(registry),
        DistributionSummary.builder("jtransformers.batch.tokens").description("Tokens per batch")
            .tag("pipeline", pipeline).publishPercentileHistogram().register(registry),
        Timer.builder("jtransformers.batch.duration").description("Time a batch takes in the pipeline")
            .tag("pipeline", pipeline).publishPercentileHistogram().register(registry));
  }

  /** The Prometheus text exposition of every meter. */
  String scrape() {
    return registry.scrape();
  }

  /** What a batcher records. */
  record BatchMeters(Timer queueWait, DistributionSummary size, DistributionSummary tokens, Timer duration) {}
}
