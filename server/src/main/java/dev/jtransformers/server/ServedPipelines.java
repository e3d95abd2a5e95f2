package dev.jtransformers.server;

import dev.jtransformers.pipelines.spi.Task;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The loaded pipelines by name, in configuration order; the first is the default. */
final class ServedPipelines implements AutoCloseable {
  private final Map<String, ServedPipeline<?>> byName = new LinkedHashMap<>();

  void add(ServedPipeline<?> pipeline) {
    byName.put(pipeline.name(), pipeline);
  }

  Collection<ServedPipeline<?>> all() {
    return byName.values();
  }

  /** The first pipeline, served at {@code POST /}. */
  ServedPipeline<?> first() {
    return byName.values().iterator().next();
  }

  /**
   * The pipeline of that name.
   *
   * @throws ApiException 404 if there is none
   */
  ServedPipeline<?> named(String name) {
    ServedPipeline<?> pipeline = byName.get(name);
    if (pipeline == null) {
      throw ApiException.notFound("no pipeline named \"" + name + "\"; this server has " + byName.keySet());
    }
    return pipeline;
  }

  /**
   * The pipeline of that name if it does the task, else the first one that does.
   *
   * @param preferred a pipeline name the request gave, or null
   * @throws ApiException 404 if no pipeline does the task
   */
  <O> ServedPipeline<O> forTask(Task<O> task, String preferred, String route) {
    ServedPipeline<?> chosen = byName.get(preferred);
    if (chosen == null || !does(chosen, task)) {
      chosen = byName.values().stream().filter(p -> does(p, task)).findFirst().orElseThrow(() ->
          ApiException.notFound(route + " needs a " + task.name() + " pipeline; this server has " + tasks()));
    }
    @SuppressWarnings("unchecked") // tasks of one name are one task (they are stateless and interchangeable)
    ServedPipeline<O> typed = (ServedPipeline<O>) chosen;
    return typed;
  }

  private static boolean does(ServedPipeline<?> pipeline, Task<?> task) {
    return pipeline.task().name().equals(task.name());
  }

  private List<String> tasks() {
    List<String> tasks = new ArrayList<>();
    byName.forEach((name, p) -> tasks.add(name + " (" + p.task().name() + ")"));
    return tasks;
  }

  /** Answers every accepted request, then frees the models. */
  @Override
  public void close() throws InterruptedException {
    InterruptedException interrupted = null;
    for (ServedPipeline<?> pipeline : byName.values()) {
      try {
        pipeline.close();
      } catch (InterruptedException e) {
        interrupted = e;
      }
    }
    if (interrupted != null) {
      throw interrupted;
    }
  }
}
