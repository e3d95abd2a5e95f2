package dev.jtransformers.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import dev.jtransformers.api.Encoding;
import dev.jtransformers.api.Label;
import dev.jtransformers.api.Tensor;
import dev.jtransformers.api.TextInput;
import dev.jtransformers.pipelines.InferenceRequest;
import dev.jtransformers.pipelines.PipelineConfig;
import dev.jtransformers.pipelines.PipelineFactory;
import dev.jtransformers.pipelines.TaskPipeline;
import dev.jtransformers.pipelines.spi.TaskOptions;
import dev.jtransformers.pipelines.spi.TaskRequest;
import dev.jtransformers.pipelines.tasks.FeatureExtraction;
import dev.jtransformers.pipelines.tasks.TextClassification;
import dev.jtransformers.pipelines.tasks.TokenClassification;
import dev.jtransformers.pipelines.tasks.TopK;
import dev.jtransformers.server.ServerClient.Answer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real server on a loopback port, driven by the JDK's HTTP client; answers checked against in-process runs. */
class ModelServerTest {
  private static final String LOVE = "I love this";
  private static final String HATE = "I hate this so much!";
  private static final Path NER_MODEL =
      Path.of(System.getProperty("jtransformers.shared", "../shared"), "models/tiny-random-bert-ner");
  private static final PipelineConfig<Tensor> EMBED = PipelineConfig.builder(FeatureExtraction.TASK).build();
  private static final PipelineConfig<List<Label>> SENTIMENT =
      PipelineConfig.builder(TextClassification.TASK).build();

  private static ModelServer server;
  private static ServerClient client;
  private static TaskPipeline<Tensor> embed;
  private static TaskPipeline<List<Label>> sentiment;

  @BeforeAll
  static void start() {
    PipelineFactory factory = PipelineFactory.fromServiceLoader();
    ServerConfig.Builder config = ServerConfig.builder().port(0).maxRequestBytes(20_000).maxInputs(4)
        .rerankLabel("POSITIVE")
        .pipeline("embed", EMBED)
        .pipeline("sentiment", SENTIMENT)
        .pipeline("strict", PipelineConfig.builder(FeatureExtraction.TASK).truncation(false).maxLength(8).build());
    if (Files.isDirectory(NER_MODEL)) {
      config.pipeline("ner", PipelineConfig.builder(TokenClassification.TASK).model(NER_MODEL.toString()).build());
    }
    server = ModelServer.start(config.build(), factory);
    client = new ServerClient(server.port());
    embed = factory.create(EMBED);
    sentiment = factory.create(SENTIMENT);
  }

  @AfterAll
  static void stop() {
    server.close();
    embed.close();
    sentiment.close();
  }

  @Test
  void healthInfoOpenApiAndMetrics() {
    Answer health = client.get("/health");
    assertEquals(200, health.status());
    assertEquals("", health.text());
    assertNotNull(health.requestId());

    JsonNode info = client.get("/info").json();
    assertEquals(FeatureExtraction.DEFAULT_MODEL, info.get("model_id").asText());
    assertTrue(info.get("model_type").has("embedding"));
    assertEquals(256, info.get("max_input_length").asInt());
    assertEquals(4, info.get("max_client_batch_size").asInt());
    assertEquals("sentiment", info.get("pipelines").get(1).get("name").asText());

    JsonNode openApi = client.get("/openapi.json").json();
    for (String path : List.of("/", "/models/{name}", "/embed", "/predict", "/rerank", "/tokenize", "/info",
        "/health", "/v1/embeddings", "/metrics")) {
      assertTrue(openApi.get("paths").has(path), path);
    }

    client.post("/embed", "{\"inputs\": \"metrics\"}");
    String metrics = client.get("/metrics").text();
    for (String meter : List.of("jtransformers_http_requests_seconds_count{method=\"POST\",route=\"/embed\",status=\"200\"}",
        "jtransformers_queue_depth{pipeline=\"embed\"}", "jtransformers_batch_size_count{pipeline=\"embed\"}",
        "jtransformers_batch_tokens_sum{pipeline=\"embed\"}", "jtransformers_queue_wait_seconds_bucket")) {
      assertTrue(metrics.contains(meter), meter + " in\n" + metrics);
    }
  }

  @Test
  void inferenceApiAnswersAsTheTaskJson() {
    JsonNode expected = wire(FeatureExtraction.TASK.toJson(embed.apply(TextInput.of(LOVE))));
    assertEquals(expected, ok(client.post("/models/embed", "{\"inputs\": \"" + LOVE + "\"}")));
    assertEquals(expected, ok(client.post("/", "\"" + LOVE + "\"")));

    TaskOptions topTwo = TaskOptions.parameters(TextClassification.TASK).set("top_k", IntNode.valueOf(2)).build();
    List<List<Label>> labels = sentiment.process(
        List.of(new TaskRequest(TextInput.of(LOVE), topTwo), new TaskRequest(TextInput.of(HATE), topTwo)));
    JsonNode list = ok(client.post("/models/sentiment",
        "{\"inputs\": [\"" + LOVE + "\", \"" + HATE + "\"], \"parameters\": {\"top_k\": 2}}"));
    assertEquals(2, list.size());
    assertEquals(wire(TextClassification.TASK.toJson(labels.get(0))), list.get(0));
    assertEquals(wire(TextClassification.TASK.toJson(labels.get(1))), list.get(1));
  }

  @Test
  void inferenceApiServesTokenClassification() {
    assumeTrue(Files.isDirectory(NER_MODEL), "../shared absent (" + NER_MODEL + " not found): skipping");
    PipelineConfig<?> config = PipelineConfig.builder(TokenClassification.TASK).model(NER_MODEL.toString()).build();
    try (TaskPipeline<?> ner = PipelineFactory.fromServiceLoader().create(config)) {
      String body = "{\"inputs\": \"My name is Sarah and I live in London\","
          + " \"parameters\": {\"aggregation_strategy\": \"simple\"}}";
      assertEquals(expectedJson(ner, body), ok(client.post("/models/ner", body)));
    }
  }

  private static <O> JsonNode expectedJson(TaskPipeline<O> pipeline, String body) {
    TaskRequest request = InferenceRequest.read(pipeline.task(), parse(body)).single();
    return wire(pipeline.task().toJson(pipeline.process(List.of(request)).get(0)));
  }

  @Test
  void embedAnswersTheInProcessVectors() {
    JsonNode one = ok(client.post("/embed", "{\"inputs\": \"" + LOVE + "\"}"));
    assertEquals(1, one.size());
    assertArrayEquals(embed.apply(TextInput.of(LOVE)).toFloatArray(), floats(one.get(0)));

    JsonNode two = ok(client.post("/embed", "{\"inputs\": [\"" + LOVE + "\", \"" + HATE + "\"], \"normalize\": true,"
        + " \"truncate\": true, \"truncation_direction\": \"Right\"}"));
    assertArrayEquals(embed.apply(TextInput.of(HATE)).toFloatArray(), floats(two.get(1)));
  }

  @Test
  void openAiEmbeddingsInFloatAndBase64() {
    float[] expected = embed.apply(TextInput.of(LOVE)).toFloatArray();
    JsonNode answer = ok(client.post("/v1/embeddings", "{\"input\": [\"" + LOVE + "\"], \"model\": \"embed\"}"));
    assertEquals("list", answer.get("object").asText());
    assertEquals("embed", answer.get("model").asText());
    assertEquals(0, answer.get("data").get(0).get("index").asInt());
    assertArrayEquals(expected, floats(answer.get("data").get(0).get("embedding")));
    int tokens = embed.tokenizer().encode(LOVE).length();
    assertEquals(tokens, answer.get("usage").get("prompt_tokens").asInt());

    JsonNode packed = ok(client.post("/v1/embeddings", "{\"input\": \"" + LOVE + "\", \"encoding_format\": \"base64\"}"));
    byte[] bytes = Base64.getDecoder().decode(packed.get("data").get(0).get("embedding").asText());
    float[] decoded = new float[bytes.length / Float.BYTES];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(decoded);
    assertArrayEquals(expected, decoded);
  }

  @Test
  void predictSinglePairAndBatch() {
    TaskOptions all = TaskOptions.parameters(TextClassification.TASK).set(TextClassification.TOP_K, TopK.ALL).build();
    List<List<Label>> expected = sentiment.process(List.of(new TaskRequest(TextInput.of(LOVE), all),
        new TaskRequest(TextInput.pair(LOVE, HATE), all), new TaskRequest(TextInput.of(HATE), all)));
    assertEquals(wire(TextClassification.TASK.toJson(expected.get(0))),
        ok(client.post("/predict", "{\"inputs\": \"" + LOVE + "\"}")));
    assertEquals(wire(TextClassification.TASK.toJson(expected.get(1))),
        ok(client.post("/predict", "{\"inputs\": [\"" + LOVE + "\", \"" + HATE + "\"]}")));
    JsonNode batch = ok(client.post("/predict", "{\"inputs\": [[\"" + LOVE + "\", \"" + HATE + "\"], \"" + HATE
        + "\"], \"raw_scores\": false}"));
    assertEquals(wire(TextClassification.TASK.toJson(expected.get(1))), batch.get(0));
    assertEquals(wire(TextClassification.TASK.toJson(expected.get(2))), batch.get(1));
    assertEquals(2, ok(client.post("/predict", "{\"inputs\": \"" + LOVE + "\", \"raw_scores\": true}")).size());
  }

  @Test
  void rerankSortsByTheRelevanceLabel() {
    List<String> texts = List.of("this is awful", "a wonderful, moving film", "it is a film");
    TaskOptions all = TaskOptions.parameters(TextClassification.TASK).set(TextClassification.TOP_K, TopK.ALL).build();
    List<TaskRequest> pairs = texts.stream().map(t -> new TaskRequest(TextInput.pair("a film", t), all)).toList();
    List<Double> scores = sentiment.process(pairs).stream()
        .map(labels -> labels.stream().filter(l -> l.label().equals("POSITIVE")).findFirst().orElseThrow().score())
        .toList();
    JsonNode ranks = ok(client.post("/rerank", "{\"query\": \"a film\", \"texts\": [\"this is awful\","
        + " \"a wonderful, moving film\", \"it is a film\"], \"return_text\": true}"));
    assertEquals(3, ranks.size());
    double previous = Double.MAX_VALUE;
    for (JsonNode rank : ranks) {
      int index = rank.get("index").asInt();
      assertEquals(scores.get(index), rank.get("score").asDouble());
      assertEquals(texts.get(index), rank.get("text").asText());
      assertTrue(rank.get("score").asDouble() <= previous);
      previous = rank.get("score").asDouble();
    }
    assertFalse(ok(client.post("/rerank", "{\"query\": \"q\", \"texts\": [\"t\"]}")).get(0).has("text"));
  }

  @Test
  void tokenizeWithByteOffsets() {
    String text = "café au lait";
    Encoding expected = embed.tokenizer().encode(text);
    JsonNode tokens = ok(client.post("/tokenize", "{\"inputs\": [\"" + text + "\"]}")).get(0);
    assertEquals(expected.length(), tokens.size());
    for (int i = 0; i < tokens.size(); i++) {
      assertEquals(expected.id(i), tokens.get(i).get("id").asInt());
    }
    JsonNode cls = tokens.get(0);
    assertTrue(cls.get("special").asBoolean());
    assertTrue(cls.get("start").isNull());
    JsonNode au = tokens.get(2); // [CLS] cafe au …: the uncased vocabulary folds é, so café is one token
    assertEquals("au", au.get("text").asText());
    assertEquals(6, au.get("start").asInt()); // "café " is 6 UTF-8 bytes
    assertEquals(8, au.get("stop").asInt());
    JsonNode bare = ok(client.post("/tokenize", "{\"inputs\": \"" + text + "\", \"add_special_tokens\": false}"));
    assertEquals(expected.length() - 2, bare.get(0).size());
  }

  @Test
  void badRequestsAreClientErrorsWithTeiBodies() {
    String longText = "word ".repeat(300);
    String tooBig = "{\"inputs\": \"" + "x".repeat(30_000) + "\"}";
    record Case(String path, String body, int status, String type) {}
    List<Case> cases = List.of(
        new Case("/embed", "{\"inputs\": ", 400, "validation"),
        new Case("/embed", "", 400, "validation"),
        new Case("/embed", "[1, 2]", 422, "validation"),
        new Case("/embed", "{\"inputs\": 5}", 422, "validation"),
        new Case("/embed", "{\"inputs\": \"a\", \"colour\": 1}", 422, "validation"),
        new Case("/embed", "{\"inputs\": \"a\", \"normalize\": \"yes\"}", 422, "validation"),
        new Case("/embed", "{\"inputs\": \"a\", \"truncation_direction\": \"left\"}", 422, "validation"),
        new Case("/embed", "{\"inputs\": []}", 400, "empty"),
        new Case("/embed", "{\"inputs\": \"\"}", 400, "empty"),
        new Case("/embed", "{\"inputs\": [\"a\", \"b\", \"c\", \"d\", \"e\"]}", 413, "validation"),
        new Case("/embed", "{\"inputs\": \"" + longText + "\", \"truncate\": false}", 413, "validation"),
        new Case("/embed", tooBig, 413, "validation"),
        new Case("/models/sentiment", "{\"inputs\": \"a\", \"parameters\": {\"colour\": 1}}", 422, "validation"),
        new Case("/models/sentiment", "{\"inputs\": \"a\", \"parameters\": {\"top_k\": \"many\"}}", 422,
            "validation"),
        new Case("/models/sentiment", "{\"inputs\": \"a\", \"extra\": 1}", 422, "validation"),
        new Case("/models/sentiment", "{\"inputs\": []}", 400, "empty"),
        new Case("/models/strict", "{\"inputs\": \"" + longText + "\"}", 422, "validation"),
        new Case("/models/nobody", "{\"inputs\": \"a\"}", 404, "not_found"),
        new Case("/nowhere", "{}", 404, "not_found"),
        new Case("/predict", "{\"inputs\": [1]}", 422, "validation"),
        new Case("/rerank", "{\"query\": \"q\"}", 422, "validation"),
        new Case("/v1/embeddings", "{\"input\": \"a\", \"encoding_format\": \"hex\"}", 422, "validation"),
        new Case("/v1/embeddings", "{\"input\": \"a\", \"dimensions\": 8}", 422, "validation"));
    for (Case c : cases) {
      Answer answer = client.post(c.path(), c.body());
      String what = c.path() + " " + c.body().substring(0, Math.min(60, c.body().length())) + " -> " + answer.text();
      assertEquals(c.status(), answer.status(), what);
      JsonNode error = answer.json();
      assertEquals(c.type(), error.get("error_type").asText(), what);
      assertFalse(error.get("error").asText().isBlank(), what);
      assertFalse(answer.text().contains("Exception") || answer.text().contains("\tat "), what);
    }
  }

  /**
   * A one-request queue and a 100 ms timeout: while a long request keeps the pipeline busy (past its own timeout),
   * one request of a burst waits (and is answered 503 once late) and the others get 429 with Retry-After.
   */
  @Test
  void fullQueueIs429AndLateAnswersAre503() throws InterruptedException {
    BatchingSettings tight = new BatchingSettings(16_384, 1, Duration.ZERO, 1, Duration.ofMillis(100));
    ServerConfig config = ServerConfig.builder().port(0).batching(tight).pipeline("embed", EMBED).build();
    try (ModelServer small = ModelServer.start(config, PipelineFactory.fromServiceLoader())) {
      ServerClient smallClient = new ServerClient(small.port());
      String longText = "\"" + "word ".repeat(250) + "\"";
      CompletableFuture<Answer> busy = smallClient.postAsync("/embed",
          "{\"inputs\": [" + String.join(", ", Collections.nCopies(8, longText)) + "]}");
      Thread.sleep(50); // the long request is in the pipeline
      List<Answer> burst = IntStream.range(0, 8)
          .mapToObj(i -> smallClient.postAsync("/embed", "{\"inputs\": \"sentence number " + i + "\"}"))
          .toList().stream().map(CompletableFuture::join).toList();
      assertEquals(503, busy.join().status(), busy.join().text());
      assertTrue(burst.stream().anyMatch(answer -> answer.status() == 429), burst.toString());
      for (Answer answer : burst) {
        assertTrue(answer.status() == 429 || answer.status() == 503, answer.toString());
        assertEquals("overloaded", answer.json().get("error_type").asText());
        assertEquals(answer.status() == 429, answer.retryAfter() != null, answer.toString());
      }
    }
  }

  /**
   * Requests waiting for their batch share one forward pass, and a shutdown answers them before the port closes.
   */
  @Test
  void concurrentRequestsShareABatchAndShutdownAnswersThem() throws Exception {
    BatchingSettings patient = new BatchingSettings(16_384, 64, Duration.ofMillis(400), 64,
        Duration.ofSeconds(30));
    ServerConfig config = ServerConfig.builder().port(0).batching(patient).pipeline("embed", EMBED).build();
    ModelServer patientServer = ModelServer.start(config, PipelineFactory.fromServiceLoader());
    ServerClient patientClient = new ServerClient(patientServer.port());
    List<String> texts = IntStream.range(0, 8).mapToObj(i -> "sentence number " + i).toList();

    List<Answer> shared = texts.stream().map(t -> patientClient.postAsync("/embed", "{\"inputs\": \"" + t + "\"}"))
        .toList().stream().map(CompletableFuture::join).toList();
    for (int i = 0; i < texts.size(); i++) {
      assertArrayEquals(embed.apply(TextInput.of(texts.get(i))).toFloatArray(), floats(ok(shared.get(i)).get(0)));
    }
    String metrics = patientClient.get("/metrics").text();
    assertTrue(metrics.contains("jtransformers_batch_size_count{pipeline=\"embed\"} 1"), metrics);
    assertTrue(metrics.contains("jtransformers_batch_size_sum{pipeline=\"embed\"} 8"), metrics);

    List<CompletableFuture<Answer>> waiting = new ArrayList<>();
    for (String text : texts) {
      waiting.add(patientClient.postAsync("/embed", "{\"inputs\": \"" + text + "\"}"));
    }
    Thread.sleep(200); // all queued, their batch still waiting for more
    patientServer.close();
    for (var answer : waiting) {
      assertEquals(200, answer.join().status());
    }
    assertFalse(patientServer.ready());
  }

  private static JsonNode ok(Answer answer) {
    assertEquals(200, answer.status(), answer.text());
    assertNull(answer.retryAfter());
    return answer.json();
  }

  /** A tree as it reads back from the wire (a float written by Jackson reads back as a double). */
  private static JsonNode wire(JsonNode tree) {
    return parse(tree.toString());
  }

  private static JsonNode parse(String json) {
    try {
      return ServerClient.MAPPER.readTree(json);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static float[] floats(JsonNode array) {
    float[] values = new float[array.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = array.get(i).floatValue();
    }
    return values;
  }
}
