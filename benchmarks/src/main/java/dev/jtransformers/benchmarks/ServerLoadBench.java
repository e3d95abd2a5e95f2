package dev.jtransformers.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jtransformers.api.Tensor;
import dev.jtransformers.api.TextInput;
import dev.jtransformers.pipelines.PipelineConfig;
import dev.jtransformers.pipelines.PipelineFactory;
import dev.jtransformers.pipelines.TaskPipeline;
import dev.jtransformers.pipelines.tasks.FeatureExtraction;
import dev.jtransformers.server.BatchingSettings;
import dev.jtransformers.server.ModelServer;
import dev.jtransformers.server.ServerConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The model server under load on loopback: single-sentence {@code POST /embed} requests from 1, 8 and 64 concurrent
 * JDK {@link HttpClient} clients, with dynamic batching on and off, beside the in-process batched rate of the same
 * pipeline (all-MiniLM-L6-v2, the ONNX backend) on the same sentences. Each client sends its requests one after
 * another; requests/s is over the whole level (best of the rounds), latencies per request. One JVM: clients, server and model share the
 * machine's cores, as they would on one host.
 *
 * <p>Usage: {@code ServerLoadBench SHARED_DIR [REQUESTS] [ROUNDS] [MAX_WAIT_MS]}: {@code REQUESTS} per level
 * (default 512) from STS-B dev sentences, {@code ROUNDS} of each measure (best kept, default 3), and the batches'
 * {@code max_wait_ms} (default {@link BatchingSettings#DEFAULT}'s).
 */
public final class ServerLoadBench {
  private static final int[] CONCURRENCY = {1, 8, 64};
  private static final ObjectMapper JSON = new ObjectMapper();

  private ServerLoadBench() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: ServerLoadBench SHARED_DIR [REQUESTS] [ROUNDS] [MAX_WAIT_MS]");
      System.exit(2);
    }
    int requests = args.length > 1 ? Integer.parseInt(args[1]) : 512;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    BatchingSettings d = BatchingSettings.DEFAULT;
    BatchingSettings batched = args.length > 3 ? new BatchingSettings(d.maxBatchTokens(), d.maxBatchRequests(),
        Duration.ofMillis(Long.parseLong(args[3])), d.maxQueue(), d.requestTimeout()) : d;
    List<String> sentences =
        TokenTasksBench.stsSentences(Path.of(args[0]).resolve("data/stsbenchmark/sts-dev.csv"), requests);
    PipelineConfig<Tensor> config = PipelineConfig.builder(FeatureExtraction.TASK).build();
    PipelineFactory factory = PipelineFactory.fromServiceLoader();

    double inProcess = 0;
    double inProcessBy64 = 0;
    try (TaskPipeline<Tensor> pipeline = factory.create(config)) {
      List<TextInput> inputs = sentences.stream().map(TextInput::of).toList();
      pipeline.applyAll(inputs.subList(0, Math.min(64, inputs.size()))); // warm-up
      for (int round = 0; round < rounds; round++) {
        long start = System.nanoTime();
        pipeline.applyAll(inputs);
        inProcess = Math.max(inProcess, inputs.size() / seconds(start));
        start = System.nanoTime();
        for (int from = 0; from < inputs.size(); from += 64) {
          pipeline.applyAll(inputs.subList(from, Math.min(from + 64, inputs.size())));
        }
        inProcessBy64 = Math.max(inProcessBy64, inputs.size() / seconds(start));
      }
    }
    System.out.printf("in-process batched, batch size %d: all %d sentences in one applyAll %.0f sentences/s;"
        + " 64 at a time %.0f sentences/s%n%n", config.batchSize(), sentences.size(), inProcess, inProcessBy64);
    System.out.println("| batching | concurrency | requests/s | p50 ms | p99 ms | inputs per batch | pipeline busy |"
        + " vs in-process |");
    System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- |");
    for (boolean batching : new boolean[] {true, false}) {
      BatchingSettings settings = batching ? batched : batched.unbatched();
      ServerConfig server = ServerConfig.builder().port(0).batching(settings).pipeline("embed", config).build();
      try (ModelServer running = ModelServer.start(server, factory)) {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI base = URI.create("http://127.0.0.1:" + running.port());
        load(client, base, sentences.subList(0, Math.min(64, sentences.size())), 8); // warm-up
        for (int concurrency : CONCURRENCY) {
          Level best = null;
          for (int round = 0; round < rounds; round++) {
            Level level = load(client, base, sentences, concurrency);
            best = best == null || level.perSecond > best.perSecond ? level : best;
          }
          System.out.printf("| %s | %d | %.0f | %.1f | %.1f | %.1f | %.0f%% | %.0f%% |%n", batching ? "on" : "off",
              concurrency, best.perSecond, best.p50, best.p99, best.perBatch, 100 * best.busy,
              100 * best.perSecond / inProcess);
        }
      }
    }
  }

  /** One level: every sentence sent once, by {@code concurrency} clients that each wait for their answer. */
  private static Level load(HttpClient client, URI base, List<String> sentences, int concurrency)
      throws Exception {
    URI embed = base.resolve("/embed");
    double[] latencies = new double[sentences.size()];
    AtomicInteger next = new AtomicInteger();
    ExecutorService clients = Executors.newFixedThreadPool(concurrency);
    double[] before = batches(client, base);
    long start = System.nanoTime();
    List<Future<Void>> done = new ArrayList<>();
    for (int c = 0; c < concurrency; c++) {
      done.add(clients.submit(() -> {
        for (int i; (i = next.getAndIncrement()) < sentences.size(); ) {
          HttpRequest request = HttpRequest.newBuilder(embed).POST(HttpRequest.BodyPublishers.ofString(
              JSON.createObjectNode().put("inputs", sentences.get(i)).toString())).build();
          long sent = System.nanoTime();
          HttpResponse<String> answer = client.send(request, HttpResponse.BodyHandlers.ofString());
          latencies[i] = (System.nanoTime() - sent) / 1e6;
          if (answer.statusCode() != 200) {
            throw new IOException("status " + answer.statusCode() + ": " + answer.body());
          }
        }
        return null;
      }));
    }
    for (Future<Void> sender : done) {
      sender.get();
    }
    double elapsed = seconds(start);
    double[] after = batches(client, base);
    clients.shutdown();
    Arrays.sort(latencies);
    return new Level(sentences.size() / elapsed, percentile(latencies, 0.50), percentile(latencies, 0.99),
        (after[0] - before[0]) / (after[1] - before[1]), (after[2] - before[2]) / elapsed);
  }

  /** The server's batch counters from {@code /metrics}: inputs batched, batches, and seconds in the pipeline. */
  private static double[] batches(HttpClient client, URI base) throws IOException, InterruptedException {
    String metrics = client.send(HttpRequest.newBuilder(base.resolve("/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    return new double[] {meter(metrics, "jtransformers_batch_size_sum"), meter(metrics, "jtransformers_batch_size_count"),
        meter(metrics, "jtransformers_batch_duration_seconds_sum")};
  }

  private static double meter(String metrics, String name) {
    return metrics.lines().filter(line -> line.startsWith(name + "{")).findFirst()
        .map(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .orElseThrow(() -> new IllegalStateException(name + " is not in /metrics"));
  }

  private static double percentile(double[] sorted, double p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
  }

  private static double seconds(long start) {
    return (System.nanoTime() - start) / 1e9;
  }

  /** A level's requests/s and latencies, with the server's inputs per batch and share of time in the pipeline. */
  private record Level(double perSecond, double p50, double p99, double perBatch, double busy) {}
}
