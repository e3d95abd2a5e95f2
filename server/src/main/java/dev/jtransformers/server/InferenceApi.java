package dev.jtransformers.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.jtransformers.pipelines.InferenceRequest;
import dev.jtransformers.pipelines.spi.Task;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;

/**
 * The Hugging Face Inference API for every task: {@code POST /models/{name}} (or {@code POST /} for the first
 * pipeline) with {@code {"inputs": input | [input, …], "parameters": {…}}}, answered with the task's JSON, exactly
 * as the CLI writes it; a list of inputs gets a list of results.
 */
final class InferenceApi {
  private final ServerState state;

  InferenceApi(ServerState state) {
    this.state = state;
  }

  void register(RoutesConfig routes) {
    routes.post("/", ctx -> infer(ctx, state.pipelines().first()));
    // <name> takes slashes, so a hub id names its pipeline as on the Inference API: /models/org/name.
    routes.post("/models/<name>", ctx -> infer(ctx, state.pipelines().named(ctx.pathParam("name"))));
  }

  private <O> void infer(Context ctx, ServedPipeline<O> pipeline) {
    Task<O> task = pipeline.task();
    JsonNode body = JsonBodies.parse(ctx.bodyAsBytes());
    InferenceRequest request;
    try {
      request = InferenceRequest.read(task, body);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid(e.getMessage());
    }
    state.checkInputCount(request.requests().size());
    state.answers().later(ctx, pipeline.submit(request.requests()).thenApply(results -> toJson(task, results,
        request.list())));
  }

  private static <O> JsonNode toJson(Task<O> task, List<O> results, boolean list) {
    if (!list) {
      return task.toJson(results.get(0));
    }
    ArrayNode array = JsonBodies.MAPPER.createArrayNode();
    results.forEach(result -> array.add(task.toJson(result)));
    return array;
  }
}
