package dev.jtransformers.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jtransformers.pipelines.spi.Task;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every call of the task fixtures' {@code reference.pipeline.jsonl} gives what Python's pipeline gave. */
class QuestionAnsweringAndZeroShotTest {

  @ParameterizedTest
  @ValueSource(strings = {"tiny-random-bert-qa", "tiny-random-distilbert-qa", "tiny-random-bert-nli"})
  void everyReferenceCallMatchesPython(String name) {
    Path model = SharedFixtures.require("models/" + name);
    List<JsonNode> calls = SharedFixtures.jsonLines(model.resolve("reference.pipeline.jsonl"));
    Task<?> task = TaskRegistry.fromServiceLoader().get(calls.get(0).get("task").asText());
    matchAll(task, model, calls, name);
  }

  private static <O> void matchAll(Task<O> task, Path model, List<JsonNode> calls, String name) {
    try (TaskPipeline<O> pipeline =
        Pipelines.create(PipelineConfig.builder(task).model(model.toString()).backend("onnx").build())) {
      List<O> batched = pipeline.process(ReferenceCalls.requests(task, calls));
      assertEquals(calls.size(), batched.size());
      for (int i = 0; i < calls.size(); i++) {
        ReferenceCalls.assertMatches(calls.get(i).get("output"), task.toJson(batched.get(i)), name + " call " + i);
      }
    }
  }
}
