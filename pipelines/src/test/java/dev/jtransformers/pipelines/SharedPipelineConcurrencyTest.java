package dev.jtransformers.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.jtransformers.api.TextInput;
import dev.jtransformers.pipelines.spi.Task;
import dev.jtransformers.pipelines.spi.TaskOptions;
import dev.jtransformers.pipelines.spi.TaskRequest;
import dev.jtransformers.pipelines.tasks.FeatureExtraction;
import dev.jtransformers.pipelines.tasks.TextClassification;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One pipeline shared by eight threads, for every task: two hundred mixed calls (single inputs, text pairs, each
 * call's own parameters, whole batches) give exactly the results of the same calls on one thread; closing it under
 * load lets calls finish or fail with {@link IllegalStateException}. The backends' own conformance kit checks their
 * models the same way; this checks what pipelines add around them (tokenizer, heads, tasks, batching).
 */
class SharedPipelineConcurrencyTest {
  private static final int THREADS = 8;
  private static final int CALLS_PER_THREAD = 25;
  private static final TaskRegistry TASKS = TaskRegistry.fromServiceLoader();

  @ParameterizedTest
  @ValueSource(strings = {"tiny-random-bert-ner", "tiny-random-bert-mlm", "tiny-random-bert-qa", "tiny-random-bert-nli"})
  void everyTaskSharedByEightThreadsGivesTheSerialResults(String name) throws Exception {
    Path model = SharedFixtures.require("models/" + name);
    List<JsonNode> calls = SharedFixtures.jsonLines(model.resolve("reference.pipeline.jsonl"));
    Task<?> task = TASKS.get(calls.get(0).get("task").asText());
    assertSharedEqualsSerial(task, model, ReferenceCalls.requests(task, calls));
  }

  @Test
  void classificationAndFeaturesOfSinglesAndPairs() throws Exception {
    Path model = SharedFixtures.require("models/tiny-random-bert");
    List<TextInput> inputs = List.of(TextInput.of("I love this"), TextInput.pair("This is the first sentence.",
        "This is the second one."), TextInput.of(""), TextInput.of("a rather longer sentence, with more words in it"));
    for (Task<?> task : List.of(TextClassification.TASK, FeatureExtraction.TASK)) {
      List<TaskRequest> requests = new ArrayList<>();
      inputs.forEach(input -> requests.add(new TaskRequest(input, TaskOptions.parameters(task).build())));
      assertSharedEqualsSerial(task, model, requests);
    }
  }

  /** With parallel batches, each call's two inputs run as two batches on the pipeline's batch threads. */
  @ParameterizedTest
  @ValueSource(ints = {1, 2})
  void closingUnderLoadLetsCallsFinishOrFailWithIllegalState(int parallelBatches) throws Exception {
    Path model = SharedFixtures.require("models/tiny-random-bert");
    TaskPipeline<?> pipeline = Pipelines.create(PipelineConfig.builder(TextClassification.TASK)
        .model(model.toString()).backend("onnx").batchSize(1).parallelBatches(parallelBatches).build());
    List<TextInput> batch = List.of(TextInput.of("I love this"), TextInput.of("I hate this"));
    List<?> expected = pipeline.applyAll(batch);
    CountDownLatch running = new CountDownLatch(THREADS);
    List<Integer> ended = Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<?>> runs = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        runs.add(pool.submit(() -> {
          int calls = 0;
          try {
            while (true) {
              assertEquals(expected, pipeline.applyAll(batch));
              if (++calls == 5) {
                running.countDown();
              }
            }
          } catch (IllegalStateException closed) {
            ended.add(calls);
          }
          return null;
        }));
      }
      assertTrue(running.await(1, TimeUnit.MINUTES), "every thread got going");
      pipeline.close();
      for (Future<?> run : runs) {
        run.get(1, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(THREADS, ended.size(), "every thread ended with IllegalStateException once the pipeline closed");
  }

  /** Each request alone and all as one batch, serially, then the same from eight threads in their own orders. */
  private static <O> void assertSharedEqualsSerial(Task<O> task, Path model, List<TaskRequest> requests)
      throws Exception {
    try (TaskPipeline<O> pipeline = create(task, model)) {
      List<JsonNode> serial = new ArrayList<>();
      for (TaskRequest request : requests) {
        serial.add(task.toJson(pipeline.process(List.of(request)).get(0)));
      }
      JsonNode serialBatch = batchJson(task, pipeline, requests);
      ExecutorService pool = Executors.newFixedThreadPool(THREADS);
      try {
        List<Future<?>> runs = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
          int thread = t;
          runs.add(pool.submit(() -> {
            for (int call = 0; call < CALLS_PER_THREAD; call++) {
              int i = (call * 7 + thread) % (requests.size() + 1); // one past the last: the whole batch
              if (i == requests.size()) {
                assertEquals(serialBatch, batchJson(task, pipeline, requests), task.name() + " batch");
              } else {
                JsonNode result = task.toJson(pipeline.process(List.of(requests.get(i))).get(0));
                assertEquals(serial.get(i), result, task.name() + " call " + i);
              }
            }
            return null;
          }));
        }
        for (Future<?> run : runs) {
          run.get(2, TimeUnit.MINUTES);
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  private static <O> JsonNode batchJson(Task<O> task, TaskPipeline<O> pipeline, List<TaskRequest> requests) {
    var array = JsonNodeFactory.instance.arrayNode();
    pipeline.process(requests).forEach(result -> array.add(task.toJson(result)));
    return array;
  }

  private static <O> TaskPipeline<O> create(Task<O> task, Path model) {
    return Pipelines.create(PipelineConfig.builder(task).model(model.toString()).backend("onnx").build());
  }
}
