package dev.jtransformers.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jtransformers.pipelines.spi.Task;
import dev.jtransformers.pipelines.spi.TaskOptions;
import dev.jtransformers.pipelines.spi.TaskRequest;
import java.util.Iterator;
import java.util.List;

/**
 * The calls of a fixture's {@code reference.pipeline.jsonl} ({@code {"task", "inputs", "parameters", "output"}}, the
 * output of Python's {@code pipeline(task)(inputs, **parameters)}) and how to compare a result with them.
 */
final class ReferenceCalls {
  /** How far a score may be from Python's. */
  static final double TOLERANCE = 1e-4;

  private ReferenceCalls() {}

  /** The call as a request of {@code task}: its input and its keyword arguments. */
  static TaskRequest request(Task<?> task, JsonNode call) {
    TaskOptions.Builder parameters = TaskOptions.parameters(task);
    call.get("parameters").fields().forEachRemaining(p -> parameters.set(p.getKey(), p.getValue()));
    return new TaskRequest(task.inputFromJson(call.get("inputs")), parameters.build());
  }

  /** Python's output and ours have the same shape, keys, strings and integers; floats agree within TOLERANCE. */
  static void assertMatches(JsonNode expected, JsonNode actual, String where) {
    if (expected.isFloatingPointNumber()) {
      assertTrue(actual.isNumber(), where + ": expected a number, got " + actual);
      assertEquals(expected.asDouble(), actual.asDouble(), TOLERANCE, where);
    } else if (expected.isContainerNode()) {
      assertEquals(expected.isArray(), actual.isArray(), where + ": expected " + expected + ", got " + actual);
      assertEquals(expected.size(), actual.size(), where + ": expected " + expected + ", got " + actual);
      if (expected.isArray()) {
        for (int i = 0; i < expected.size(); i++) {
          assertMatches(expected.get(i), actual.get(i), where + "[" + i + "]");
        }
      } else {
        for (Iterator<String> keys = expected.fieldNames(); keys.hasNext(); ) {
          String key = keys.next();
          assertTrue(actual.has(key), where + ": no \"" + key + "\" in " + actual);
          assertMatches(expected.get(key), actual.get(key), where + "." + key);
        }
      }
    } else {
      assertEquals(expected, actual, where);
    }
  }

  /** The requests of every call, in file order. */
  static List<TaskRequest> requests(Task<?> task, List<JsonNode> calls) {
    return calls.stream().map(call -> request(task, call)).toList();
  }
}
