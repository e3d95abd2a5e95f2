package dev.jtransformers.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jtransformers.api.Encoding;
import dev.jtransformers.api.Label;
import dev.jtransformers.api.Tensor;
import dev.jtransformers.api.TextInput;
import dev.jtransformers.pipelines.spi.TaskOptions;
import dev.jtransformers.pipelines.spi.TaskRequest;
import dev.jtransformers.pipelines.tasks.FeatureExtraction;
import dev.jtransformers.pipelines.tasks.FunctionToApply;
import dev.jtransformers.pipelines.tasks.TextClassification;
import dev.jtransformers.pipelines.tasks.TopK;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * text-embeddings-inference's routes, with its request and response bodies: {@code /embed} (feature-extraction),
 * {@code /predict} (text-classification), {@code /rerank} (a pair classifier), {@code /tokenize}, {@code /info} and
 * {@code /health}. Each model route runs on the first pipeline of its task.
 */
final class TeiApi {
  private static final Set<String> RIGHT = Set.of("right", "Right");
  private static final String ONLY_RIGHT = "texts are truncated on the right";

  private final ServerState state;

  TeiApi(ServerState state) {
    this.state = state;
  }

  void register(RoutesConfig routes) {
    routes.post("/embed", this::embed);
    routes.post("/predict", this::predict);
    routes.post("/rerank", this::rerank);
    routes.post("/tokenize", this::tokenize);
    routes.get("/info", this::info);
    routes.get("/health", this::health);
  }

  /** {@code {"inputs": text | [text], "normalize": true, "truncate": …}} → {@code [[float, …], …]}. */
  private void embed(Context ctx) {
    ObjectNode body = JsonBodies.object(ctx.bodyAsBytes(), Set.of("inputs", "normalize", "truncate",
        "truncation_direction", "prompt_name", "dimensions"));
    ServedPipeline<Tensor> pipeline = state.pipelines().forTask(FeatureExtraction.TASK, null, "/embed");
    List<String> texts = nonEmptyTexts(body, "inputs");
    unsupported(body, "prompt_name", "this server has no prompts");
    unsupported(body, "dimensions", "embeddings keep the model's size");
    boolean normalize = JsonBodies.flag(body, "normalize", true);
    if (!normalize && !pipeline.config().options().get(FeatureExtraction.NORMALIZE).map(n -> !n).orElse(false)) {
      throw ApiException.invalid("\"normalize\": false needs a pipeline configured with normalize: false;"
          + " pipeline " + pipeline.name() + " doesn't say so");
    }
    List<TextInput> inputs = texts.stream().map(TextInput::of).toList();
    checkTruncation(body, pipeline, inputs);
    CompletableFuture<List<Tensor>> vectors = pipeline.submit(requests(inputs, TaskOptions.parameters(
        FeatureExtraction.TASK).build()));
    state.answers().later(ctx, vectors.thenApply(results -> {
      ArrayNode rows = JsonBodies.MAPPER.createArrayNode();
      for (Tensor vector : results) {
        Embeddings.addTo(rows.addArray(), Embeddings.pooled(vector, pipeline.name(), normalize));
      }
      return rows;
    }));
  }

  /**
   * {@code {"inputs": text | [a, b] | [text or [a, b], …], "raw_scores": false}} → every label, best first: {@code
   * [{"score", "label"}, …]} for one input, a list of those for several. A list of two strings is one pair, as TEI
   * reads it.
   */
  private void predict(Context ctx) {
    ObjectNode body = JsonBodies.object(ctx.bodyAsBytes(), Set.of("inputs", "raw_scores", "truncate",
        "truncation_direction"));
    ServedPipeline<List<Label>> pipeline =
        state.pipelines().forTask(TextClassification.TASK, null, "/predict");
    JsonNode inputs = body.get("inputs");
    if (inputs == null || inputs.isNull()) {
      throw ApiException.invalid("\"inputs\" is missing: give a text, a pair [a, b], or a list of those");
    }
    boolean single = inputs.isTextual() || isPair(inputs);
    List<TextInput> sequences = new ArrayList<>();
    if (single) {
      sequences.add(sequence(inputs, "inputs"));
    } else if (inputs.isArray()) {
      for (int i = 0; i < inputs.size(); i++) {
        sequences.add(sequence(inputs.get(i), "inputs[" + i + "]"));
      }
    } else {
      throw ApiException.invalid("\"inputs\" must be a text, a pair [a, b], or a list of those, got "
          + JsonBodies.kind(inputs));
    }
    state.checkInputCount(sequences.size());
    checkTruncation(body, pipeline, sequences);
    List<TaskRequest> requests = requests(sequences, allLabels(JsonBodies.flag(body, "raw_scores", false)));
    state.answers().later(ctx, pipeline.submit(requests).thenApply(results -> {
      if (single) {
        return TextClassification.TASK.toJson(results.get(0));
      }
      ArrayNode all = JsonBodies.MAPPER.createArrayNode();
      results.forEach(labels -> all.add(TextClassification.TASK.toJson(labels)));
      return all;
    }));
  }

  /**
   * {@code {"query", "texts": […], "raw_scores": false, "return_text": false}} → {@code [{"index", "score"[,
   * "text"]}, …]}, best first. The score is a single-label classifier's only one, else that of {@code
   * rerank_label}.
   */
  private void rerank(Context ctx) {
    ObjectNode body = JsonBodies.object(ctx.bodyAsBytes(), Set.of("query", "texts", "raw_scores", "return_text",
        "truncate", "truncation_direction"));
    ServedPipeline<List<Label>> pipeline = state.pipelines().forTask(TextClassification.TASK, null, "/rerank");
    String query = JsonBodies.text(body, "query").orElseThrow(() -> ApiException.invalid("\"query\" is missing"));
    if (query.isEmpty()) {
      throw ApiException.empty("\"query\" is empty");
    }
    List<String> texts = nonEmptyTexts(body, "texts");
    boolean returnText = JsonBodies.flag(body, "return_text", false);
    List<TextInput> pairs = texts.stream().map(text -> TextInput.pair(query, text)).toList();
    checkTruncation(body, pipeline, pairs);
    List<TaskRequest> requests = requests(pairs, allLabels(JsonBodies.flag(body, "raw_scores", false)));
    state.answers().later(ctx, pipeline.submit(requests).thenApply(results -> {
      List<ObjectNode> ranks = new ArrayList<>();
      for (int i = 0; i < results.size(); i++) {
        ObjectNode rank = JsonBodies.MAPPER.createObjectNode().put("index", i)
            .put("score", relevance(results.get(i), pipeline.name()));
        if (returnText) {
          rank.put("text", texts.get(i));
        }
        ranks.add(rank);
      }
      ranks.sort(Comparator.comparingDouble((ObjectNode rank) -> rank.get("score").doubleValue()).reversed());
      return JsonBodies.MAPPER.createArrayNode().addAll(ranks);
    }));
  }

  private double relevance(List<Label> labels, String pipeline) {
    if (labels.size() == 1) {
      return labels.get(0).score();
    }
    String wanted = state.config().rerankLabel().orElseThrow(() -> ApiException.backend("pipeline " + pipeline
        + " is not a re-ranker: its classifier has " + labels.size() + " labels, not one; set rerank_label to the"
        + " label that means relevant"));
    return labels.stream().filter(l -> l.label().equals(wanted)).findFirst().orElseThrow(() ->
        ApiException.backend("rerank_label " + wanted + " is not a label of pipeline " + pipeline + ": "
            + labels.stream().map(Label::label).toList())).score();
  }

  /**
   * {@code {"inputs": text | [text], "add_special_tokens": true}} → per text {@code [{"id", "text", "special",
   * "start", "stop"}, …]}, with offsets in UTF-8 bytes as TEI gives them (null for special tokens).
   */
  private void tokenize(Context ctx) {
    ObjectNode body = JsonBodies.object(ctx.bodyAsBytes(), Set.of("inputs", "add_special_tokens", "prompt_name"));
    ServedPipeline<?> pipeline = state.pipelines().first();
    List<String> texts = JsonBodies.texts(body, "inputs");
    state.checkInputCount(texts.size());
    unsupported(body, "prompt_name", "this server has no prompts");
    boolean special = JsonBodies.flag(body, "add_special_tokens", true);
    ArrayNode all = JsonBodies.MAPPER.createArrayNode();
    for (String text : texts) {
      Encoding encoding = pipeline.encode(TextInput.of(text), special);
      int[] utf8 = utf8Offsets(text);
      ArrayNode tokens = all.addArray();
      for (int i = 0; i < encoding.length(); i++) {
        ObjectNode token = tokens.addObject().put("id", encoding.id(i));
        if (encoding.specialTokensMask()[i] == 1) {
          token.put("text", encoding.tokens().get(i)).put("special", true).putNull("start").putNull("stop");
        } else {
          int start = encoding.offsets()[i][0];
          int end = encoding.offsets()[i][1];
          token.put("text", text.substring(start, end)).put("special", false).put("start", utf8[start])
              .put("stop", utf8[end]);
        }
      }
    }
    Answers.json(ctx, 200, all);
  }

  /** TEI's {@code /info}, for the first pipeline, with every pipeline listed under {@code pipelines}. */
  private void info(Context ctx) {
    ServedPipelines pipelines = state.pipelines();
    ServedPipeline<?> first = pipelines.first();
    ServerConfig config = state.config();
    ObjectNode info = JsonBodies.MAPPER.createObjectNode();
    info.put("model_id", modelId(first)).putNull("model_sha").put("model_dtype", "float32");
    info.putObject("model_type").putObject(modelType(first));
    info.put("max_concurrent_requests", config.batching().maxQueue())
        .put("max_input_length", first.maxLength())
        .put("max_batch_tokens", config.batching().maxBatchTokens())
        .put("max_batch_requests", config.batching().maxBatchRequests())
        .put("max_client_batch_size", config.maxInputs())
        .put("auto_truncate", first.config().truncation())
        .put("tokenization_workers", 1)
        .put("version", version())
        .putNull("sha")
        .putNull("docker_label");
    ArrayNode list = info.putArray("pipelines");
    for (ServedPipeline<?> p : pipelines.all()) {
      list.addObject().put("name", p.name()).put("task", p.task().name()).put("model_id", modelId(p))
          .put("max_input_length", p.maxLength());
    }
    Answers.json(ctx, 200, info);
  }

  /** 200 once every model is loaded; 503 before, and from the start of a shutdown. */
  private void health(Context ctx) {
    state.pipelines();
    ctx.status(200);
  }

  private static String modelType(ServedPipeline<?> pipeline) {
    String task = pipeline.task().name();
    if (task.equals(FeatureExtraction.TASK.name())) {
      return "embedding";
    }
    return task.equals(TextClassification.TASK.name()) ? "classifier" : task;
  }

  private static String modelId(ServedPipeline<?> pipeline) {
    return pipeline.config().model()
        .orElseGet(() -> pipeline.task().defaultModel().map(d -> d.model()).orElse(pipeline.name()));
  }

  private static String version() {
    String version = TeiApi.class.getPackage().getImplementationVersion();
    return version == null ? "development" : version;
  }

  /** TEI's {@code truncate}: true asks to cut texts at the model's limit, false to reject longer ones. */
  private static void checkTruncation(ObjectNode body, ServedPipeline<?> pipeline, List<TextInput> inputs) {
    JsonBodies.requireAbsentOr(body, "truncation_direction", RIGHT, ONLY_RIGHT);
    boolean truncates = pipeline.config().truncation();
    boolean truncate = JsonBodies.flag(body, "truncate", truncates);
    if (truncate && !truncates) {
      throw ApiException.invalid("\"truncate\": true, but pipeline " + pipeline.name() + " is configured not to"
          + " truncate");
    }
    if (!truncate) {
      for (TextInput input : inputs) {
        int tokens = pipeline.encode(input, true).length();
        if (tokens > pipeline.maxLength()) {
          throw ApiException.tooLarge("`inputs` must have less than " + pipeline.maxLength() + " tokens. Given: "
              + tokens);
        }
      }
    }
  }

  private List<String> nonEmptyTexts(ObjectNode body, String field) {
    List<String> texts = JsonBodies.texts(body, field);
    state.checkInputCount(texts.size());
    for (int i = 0; i < texts.size(); i++) {
      if (texts.get(i).isEmpty()) {
        throw ApiException.empty("\"" + field + "\"" + (texts.size() > 1 ? "[" + i + "]" : "") + " is empty");
      }
    }
    return texts;
  }

  private static boolean isPair(JsonNode node) {
    return node.isArray() && node.size() == 2 && node.get(0).isTextual() && node.get(1).isTextual();
  }

  private static TextInput sequence(JsonNode node, String where) {
    if (node.isTextual()) {
      return TextInput.of(node.textValue());
    }
    if (isPair(node)) {
      return TextInput.pair(node.get(0).textValue(), node.get(1).textValue());
    }
    throw ApiException.invalid(where + " must be a text or a pair [a, b], got " + JsonBodies.kind(node));
  }

  /** Every label, best first; raw logits when {@code rawScores}. */
  private static TaskOptions allLabels(boolean rawScores) {
    TaskOptions.Builder parameters = TaskOptions.parameters(TextClassification.TASK)
        .set(TextClassification.TOP_K, TopK.ALL);
    if (rawScores) {
      parameters.set(TextClassification.FUNCTION_TO_APPLY, FunctionToApply.NONE);
    }
    return parameters.build();
  }

  private static List<TaskRequest> requests(List<TextInput> inputs, TaskOptions parameters) {
    return inputs.stream().map(input -> new TaskRequest(input, parameters)).toList();
  }

  private static void unsupported(ObjectNode body, String field, String why) {
    JsonNode value = body.get(field);
    if (value != null && !value.isNull()) {
      throw ApiException.invalid("\"" + field + "\" is not supported: " + why);
    }
  }

  /** {@code utf8[i]}: how many UTF-8 bytes the first {@code i} chars of the text take. */
  private static int[] utf8Offsets(String text) {
    int[] offsets = new int[text.length() + 1];
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      int bytes = c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
      offsets[i + 1] = offsets[i] + bytes;
    }
    return offsets;
  }
}
