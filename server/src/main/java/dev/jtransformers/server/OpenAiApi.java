package dev.jtransformers.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jtransformers.api.Tensor;
import dev.jtransformers.api.TextInput;
import dev.jtransformers.pipelines.spi.TaskOptions;
import dev.jtransformers.pipelines.spi.TaskRequest;
import dev.jtransformers.pipelines.tasks.FeatureExtraction;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * OpenAI's {@code POST /v1/embeddings}: {@code {"input": text | [text], "model", "encoding_format": "float" |
 * "base64"}} → {@code {"object": "list", "data": [{"object": "embedding", "embedding", "index"}], "model", "usage"}}.
 * {@code model} picks a feature-extraction pipeline by name; any other value gets the first one, as TEI does.
 */
final class OpenAiApi {
  private static final TaskOptions NO_PARAMETERS = TaskOptions.parameters(FeatureExtraction.TASK).build();

  private final ServerState state;

  OpenAiApi(ServerState state) {
    this.state = state;
  }

  void register(RoutesConfig routes) {
    routes.post("/v1/embeddings", this::embeddings);
  }

  private void embeddings(Context ctx) {
    ObjectNode body = JsonBodies.object(ctx.bodyAsBytes(), Set.of("input", "model", "encoding_format",
        "dimensions", "user"));
    String model = JsonBodies.text(body, "model").orElse(null);
    ServedPipeline<Tensor> pipeline = state.pipelines().forTask(FeatureExtraction.TASK, model, "/v1/embeddings");
    List<String> texts = JsonBodies.texts(body, "input");
    state.checkInputCount(texts.size());
    JsonBodies.requireAbsentOr(body, "encoding_format", Set.of("float", "base64"), "use float or base64");
    boolean base64 = JsonBodies.text(body, "encoding_format").map("base64"::equals).orElse(false);
    if (body.hasNonNull("dimensions")) {
      throw ApiException.invalid("\"dimensions\" is not supported: embeddings keep the model's size");
    }
    JsonBodies.text(body, "user"); // only its type is checked: the server keeps nothing per user
    List<TextInput> inputs = texts.stream().map(TextInput::of).toList();
    int tokens = inputs.stream().mapToInt(pipeline::cost).sum();
    List<TaskRequest> requests = inputs.stream().map(input -> new TaskRequest(input, NO_PARAMETERS)).toList();
    state.answers().later(ctx, pipeline.submit(requests).thenApply(results -> {
      ObjectNode answer = JsonBodies.MAPPER.createObjectNode().put("object", "list");
      ArrayNode data = answer.putArray("data");
      for (int i = 0; i < results.size(); i++) {
        float[] vector = Embeddings.pooled(results.get(i), pipeline.name(), true);
        ObjectNode item = data.addObject().put("object", "embedding");
        if (base64) {
          item.put("embedding", base64(vector));
        } else {
          Embeddings.addTo(item.putArray("embedding"), vector);
        }
        item.put("index", i);
      }
      answer.put("model", model == null ? pipeline.name() : model);
      answer.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
      return answer;
    }));
  }

  /** Little-endian float32s, base64-encoded, as OpenAI's clients decode them. */
  private static String base64(float[] vector) {
    ByteBuffer bytes = ByteBuffer.allocate(Float.BYTES * vector.length).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(vector);
    return Base64.getEncoder().encodeToString(bytes.array());
  }
}
