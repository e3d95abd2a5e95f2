package dev.jtransformers.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jtransformers.api.TextInput;
import dev.jtransformers.pipelines.spi.Task;
import dev.jtransformers.pipelines.spi.TaskOptions;
import dev.jtransformers.pipelines.spi.TaskRequest;
import dev.jtransformers.pipelines.tasks.Entity;
import dev.jtransformers.pipelines.tasks.FillMask;
import dev.jtransformers.pipelines.tasks.MaskPrediction;
import dev.jtransformers.pipelines.tasks.TokenClassification;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Token-classification and fill-mask through the Java API reproduce Python {@code transformers}' {@code pipeline()}
 * call for call, on the ONNX backend: every call of the shared fixtures' {@code reference.pipeline.jsonl}, and the
 * calls of {@code task-references.jsonl} (unknown tokens, accents, several masks, targets outside the vocabulary;
 * written by {@code src/test/python/make_task_references.py}). All calls of a model go in one
 * {@link TaskPipeline#process} call, each with its own parameters, so they are batched together.
 */
class TaskReferenceTest {
  private static final double TOLERANCE = 1e-4;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @ParameterizedTest
  @ValueSource(strings = {"tiny-random-bert-ner", "tiny-random-distilbert-ner"})
  void tokenClassificationMatchesPython(String name) {
    Path model = SharedFixtures.require("models/" + name);
    List<JsonNode> calls = SharedFixtures.jsonLines(model.resolve("reference.pipeline.jsonl"));
    calls.addAll(extraCalls(name));
    assertEntities(model, calls);
  }

  @ParameterizedTest
  @ValueSource(strings = {"tiny-random-bert-mlm", "tiny-random-distilbert-mlm"})
  void fillMaskMatchesPython(String name) {
    Path model = SharedFixtures.require("models/" + name);
    List<JsonNode> calls = new ArrayList<>(SharedFixtures.jsonLines(model.resolve("reference.pipeline.jsonl")));
    calls.addAll(extraCalls(name));
    try (TaskPipeline<List<List<MaskPrediction>>> pipeline = pipeline(FillMask.TASK, model)) {
      List<List<List<MaskPrediction>>> results = pipeline.process(requests(FillMask.TASK, calls));
      for (int i = 0; i < calls.size(); i++) {
        JsonNode output = calls.get(i).get("output");
        List<JsonNode> masks = output.get(0).isArray() ? list(output) : List.of(output);
        List<List<MaskPrediction>> actual = results.get(i);
        String where = name + " call " + i + " " + calls.get(i).get("inputs");
        assertEquals(masks.size(), actual.size(), where + ": masks");
        for (int m = 0; m < masks.size(); m++) {
          JsonNode expected = masks.get(m);
          assertEquals(expected.size(), actual.get(m).size(), where + ": candidates of mask " + m);
          for (int k = 0; k < expected.size(); k++) {
            JsonNode want = expected.get(k);
            MaskPrediction got = actual.get(m).get(k);
            String at = where + " mask " + m + " candidate " + k;
            assertEquals(want.get("token").asInt(), got.token(), at);
            assertEquals(want.get("token_str").asText(), got.tokenStr(), at);
            assertEquals(want.get("sequence").asText(), got.sequence(), at);
            assertEquals(want.get("score").asDouble(), got.score(), TOLERANCE, at);
          }
        }
      }
    }
  }

  private static void assertEntities(Path model, List<JsonNode> calls) {
    try (TaskPipeline<List<Entity>> pipeline = pipeline(TokenClassification.TASK, model)) {
      List<List<Entity>> results = pipeline.process(requests(TokenClassification.TASK, calls));
      for (int i = 0; i < calls.size(); i++) {
        JsonNode expected = calls.get(i).get("output");
        List<Entity> actual = results.get(i);
        String where = model.getFileName() + " call " + i + " " + calls.get(i).get("parameters");
        assertEquals(expected.size(), actual.size(), where + ": entities " + actual);
        for (int e = 0; e < expected.size(); e++) {
          JsonNode want = expected.get(e);
          Entity got = actual.get(e);
          String at = where + " entity " + e;
          boolean group = want.has("entity_group");
          assertEquals(group, got.isGroup(), at);
          assertEquals(want.get(group ? "entity_group" : "entity").asText(), got.label(), at);
          assertEquals(want.get("word").asText(), got.word(), at);
          assertEquals(want.get("start").asInt(), got.start(), at);
          assertEquals(want.get("end").asInt(), got.end(), at);
          assertEquals(group ? -1 : want.get("index").asInt(), got.index().orElse(-1), at);
          assertEquals(want.get("score").asDouble(), got.score(), TOLERANCE, at);
        }
      }
    }
  }

  private static <O> TaskPipeline<O> pipeline(Task<O> task, Path model) {
    return Pipelines.create(PipelineConfig.builder(task).model(model.toString()).backend("onnx").build());
  }

  private static List<TaskRequest> requests(Task<?> task, List<JsonNode> calls) {
    List<TaskRequest> requests = new ArrayList<>();
    for (JsonNode call : calls) {
      TaskOptions.Builder parameters = TaskOptions.parameters(task);
      call.get("parameters").fields().forEachRemaining(p -> parameters.set(p.getKey(), p.getValue()));
      requests.add(new TaskRequest(TextInput.of(call.get("inputs").asText()), parameters.build()));
    }
    return requests;
  }

  /** The calls of {@code task-references.jsonl} for one model. */
  static List<JsonNode> extraCalls(String model) {
    try (InputStream in = TaskReferenceTest.class.getResourceAsStream("task-references.jsonl")) {
      List<JsonNode> calls = new ArrayList<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        JsonNode call = MAPPER.readTree(line);
        if (call.get("model").asText().equals(model)) {
          calls.add(call);
        }
      }
      assertTrue(!calls.isEmpty(), "task-references.jsonl has calls for " + model);
      return calls;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<JsonNode> list(JsonNode array) {
    List<JsonNode> items = new ArrayList<>();
    array.forEach(items::add);
    return items;
  }

}
