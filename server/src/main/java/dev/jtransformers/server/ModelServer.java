package dev.jtransformers.server;

import dev.jtransformers.pipelines.PipelineConfig;
import dev.jtransformers.pipelines.PipelineFactory;
import dev.jtransformers.pipelines.TaskPipeline;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.router.Endpoint;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTP server for pipelines: the Hugging Face Inference API for every task, text-embeddings-inference's routes
 * and OpenAI's embeddings route for the tasks they serve, {@code /metrics} for Prometheus and {@code /openapi.json}.
 * Requests for a pipeline are batched together dynamically ({@link BatchingSettings}).
 *
 * <pre>{@code
 * try (ModelServer server = ModelServer.start(ServerConfig.builder()
 *     .pipeline("embed", PipelineConfig.builder(FeatureExtraction.TASK).build()).build(),
 *     PipelineFactory.fromServiceLoader())) {
 *   // POST http://127.0.0.1:8080/embed {"inputs": "I love this"}
 * }
 * }</pre>
 *
 * <p>The port opens first and {@code /health} answers 503 until every model has loaded. {@link #close} is graceful:
 * new requests get 503 while every accepted one is answered, then the port closes and the models are freed.
 */
public final class ModelServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ModelServer.class);
  /** A caller's {@code X-Request-Id} is kept if it is this tame; else the server makes one. */
  private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

  private final ServerConfig config;
  private final ServerMetrics metrics = new ServerMetrics();
  private final ServerState state;
  private final Javalin http;
  private final byte[] openApi = openApiDocument();
  private final ServedPipelines pipelines = new ServedPipelines();

  private ModelServer(ServerConfig config) {
    this.config = config;
    Answers answers = new Answers(metrics);
    this.state = new ServerState(config, answers);
    this.http = Javalin.create(this::configure);
  }

  /**
   * Opens the port, loads every pipeline, and returns once the server is ready.
   *
   * @throws dev.jtransformers.api.ModelLoadException if a pipeline's model can't be loaded (the port is closed
   *     again)
   * @throws io.javalin.util.JavalinException if the port can't be bound
   */
  public static ModelServer start(ServerConfig config, PipelineFactory factory) {
    ModelServer server = new ModelServer(config);
    server.http.start(config.host(), config.port());
    try {
      server.load(factory);
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  /** The bound port (the chosen one when the configuration asked for 0). */
  public int port() {
    return http.port();
  }

  /** Whether every model is loaded and requests are taken. */
  public boolean ready() {
    return state.ready();
  }

  private void load(PipelineFactory factory) {
    for (Map.Entry<String, PipelineConfig<?>> entry : config.pipelines().entrySet()) {
      long start = System.nanoTime();
      pipelines.add(served(entry.getKey(), entry.getValue(), factory));
      LOG.info("pipeline {} ({}) loaded in {} ms", entry.getKey(), entry.getValue().task().name(),
          (System.nanoTime() - start) / 1_000_000);
    }
    state.ready(pipelines);
    LOG.info("ready on http://{}:{}", config.host(), port());
  }

  private <O> ServedPipeline<O> served(String name, PipelineConfig<O> pipelineConfig, PipelineFactory factory) {
    TaskPipeline<O> pipeline = factory.create(pipelineConfig);
    return new ServedPipeline<>(name, pipelineConfig, pipeline, config.batching(), metrics);
  }

  private void configure(JavalinConfig javalin) {
    javalin.startup.showJavalinBanner = false;
    javalin.startup.showOldJavalinVersionWarning = false;
    javalin.http.maxRequestSize = config.maxRequestBytes();
    javalin.routes.before(this::assignRequestId);
    javalin.requestLogger.http(this::logRequest);
    new InferenceApi(state).register(javalin.routes);
    new TeiApi(state).register(javalin.routes);
    new OpenAiApi(state).register(javalin.routes);
    javalin.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
        .result(metrics.scrape()));
    javalin.routes.get("/openapi.json", ctx -> ctx.contentType("application/json").result(openApi));
    javalin.routes.exception(ApiException.class, (e, ctx) -> state.answers().error(ctx, e));
    // Javalin's own refusals (no such route, a body over max_request_bytes, …) get the same error body.
    javalin.routes.exception(HttpResponseException.class, (e, ctx) -> state.answers().error(ctx, refusal(ctx, e)));
    javalin.routes.exception(Exception.class, (e, ctx) -> state.answers().error(ctx, Answers.toApi(ctx, e)));
  }

  private ApiException refusal(Context ctx, HttpResponseException e) {
    return switch (e.getStatus()) {
      case 413 -> ApiException.tooLarge("the body is larger than this server's " + config.maxRequestBytes()
          + " bytes (max_request_bytes)");
      case 404, 405 -> ApiException.notFound("no route " + ctx.method() + " " + ctx.path() + "; see /openapi.json");
      default -> ApiException.malformed(e.getMessage());
    };
  }

  private void assignRequestId(Context ctx) {
    String given = ctx.header("X-Request-Id");
    String id = given != null && REQUEST_ID.matcher(given).matches() ? given : UUID.randomUUID().toString();
    ctx.attribute(Answers.REQUEST_ID, id);
    ctx.header("X-Request-Id", id);
  }

  /** One structured line per request, and its latency by route. */
  private void logRequest(Context ctx, Float millis) {
    Endpoint matched = ctx.endpoints().matchedHttpEndpoint();
    String route = matched == null ? "unmatched" : matched.path;
    int status = ctx.status().getCode();
    metrics.request(ctx.method().name(), route, status, Duration.ofNanos((long) (millis * 1_000_000)));
    LOG.info("request_id={} method={} path={} route={} status={} duration_ms={}", ctx.<String>attribute(
        Answers.REQUEST_ID), ctx.method().name(), ctx.path(), route, status, String.format("%.2f", millis));
  }

  private static byte[] openApiDocument() {
    try (InputStream in = ModelServer.class.getResourceAsStream("openapi.json")) {
      if (in == null) {
        throw new IllegalStateException("openapi.json is missing from the server's jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("can't read openapi.json from the server's jar", e);
    }
  }

  /**
   * Shuts down gracefully: new requests get 503 at once, accepted ones are answered (each within its timeout), then
   * the port closes and the models are freed.
   */
  @Override
  public void close() {
    state.ready(null);
    try {
      pipelines.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      LOG.warn("interrupted while answering the accepted requests; closing now");
    } finally {
      http.stop();
      LOG.info("stopped");
    }
  }
}
