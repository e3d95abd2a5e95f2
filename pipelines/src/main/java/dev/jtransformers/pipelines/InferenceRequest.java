package dev.jtransformers.pipelines;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jtransformers.pipelines.spi.Task;
import dev.jtransformers.pipelines.spi.TaskOptions;
import dev.jtransformers.pipelines.spi.TaskRequest;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * A call in the Hugging Face Inference API's shape, as the CLI's JSON lines and the server's bodies carry it: the
 * task's input ({@code "text"}, {@code {"text", "text_pair"}}, …), or {@code {"inputs": input | [input, …],
 * "parameters": {keyword: value, …}}} with the Python call's keyword arguments, shared by every input of a list.
 *
 * @param requests one request per input, in order
 * @param list whether the inputs came as a JSON list (the answer is then a list of results)
 */
public record InferenceRequest(List<TaskRequest> requests, boolean list) {

  public InferenceRequest {
    requests = List.copyOf(requests);
  }

  /**
   * Reads a call.
   *
   * @throws IllegalArgumentException naming the problem, for a malformed input, an unknown key or parameter
   */
  public static InferenceRequest read(Task<?> task, JsonNode json) {
    if (!json.isObject() || !json.has("inputs")) {
      return new InferenceRequest(List.of(new TaskRequest(task.inputFromJson(json), TaskOptions.parameters(task)
          .build())), false);
    }
    for (Iterator<String> keys = json.fieldNames(); keys.hasNext(); ) {
      String key = keys.next();
      if (!key.equals("inputs") && !key.equals("parameters")) {
        throw new IllegalArgumentException("unknown key \"" + key + "\": a request has \"inputs\" and"
            + " \"parameters\"");
      }
    }
    TaskOptions parameters = parameters(task, json.path("parameters"));
    JsonNode inputs = json.get("inputs");
    if (!inputs.isArray()) {
      return new InferenceRequest(List.of(new TaskRequest(task.inputFromJson(inputs), parameters)), false);
    }
    List<TaskRequest> requests = new ArrayList<>(inputs.size());
    for (int i = 0; i < inputs.size(); i++) {
      try {
        requests.add(new TaskRequest(task.inputFromJson(inputs.get(i)), parameters));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("inputs[" + i + "]: " + e.getMessage(), e);
      }
    }
    return new InferenceRequest(requests, true);
  }

  /**
   * The call's one input.
   *
   * @throws IllegalArgumentException if the inputs came as a list
   */
  public TaskRequest single() {
    if (list) {
      throw new IllegalArgumentException("expected one input, got a list of " + requests.size());
    }
    return requests.get(0);
  }

  /** The per-call keyword arguments of {@code "parameters"}: absent or null for none. */
  private static TaskOptions parameters(Task<?> task, JsonNode given) {
    TaskOptions.Builder parameters = TaskOptions.parameters(task);
    if (!given.isMissingNode() && !given.isNull()) {
      if (!given.isObject()) {
        throw new IllegalArgumentException("\"parameters\" must be an object, got " + given);
      }
      given.fields().forEachRemaining(p -> parameters.set(p.getKey(), p.getValue()));
    }
    return parameters.build();
  }
}
