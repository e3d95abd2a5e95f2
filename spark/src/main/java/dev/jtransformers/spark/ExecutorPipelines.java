package dev.jtransformers.spark;

import dev.jtransformers.pipelines.PipelineConfig;
import dev.jtransformers.pipelines.PipelineFactory;
import dev.jtransformers.pipelines.TaskPipeline;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipelines of one executor JVM, one per configuration, loaded on first use and shared by every task and
 * partition that runs there, then closed when the JVM shuts down.
 *
 * <p>This is the one static state of the module, and it has to be: Spark gives user code no executor lifecycle of
 * its own, and a model loaded per task or partition would cost its start-up many times over. Pipelines are
 * thread-safe, so the task threads of an executor share one.
 */
final class ExecutorPipelines {
  private static final Logger LOG = LoggerFactory.getLogger(ExecutorPipelines.class);
  private static final Map<PipelineConfig<?>, Loaded> PIPELINES = new ConcurrentHashMap<>();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(ExecutorPipelines::closeAll, "jtransformers-spark-close"));
  }

  private ExecutorPipelines() {}

  /**
   * The executor's pipeline for this configuration, loaded by the first caller while the others of the same
   * configuration wait. A load that fails is not kept: the task fails, and Spark's retry loads again.
   */
  static TaskPipeline<?> get(PipelineConfig<?> config) {
    return PIPELINES.computeIfAbsent(config, Loaded::new).get();
  }

  private static void closeAll() {
    for (Loaded loaded : PIPELINES.values()) {
      loaded.close();
    }
  }

  /** One configuration's pipeline, loaded at most once, outside the map's lock. */
  private static final class Loaded implements Supplier<TaskPipeline<?>> {
    private final PipelineConfig<?> config;
    private TaskPipeline<?> pipeline;

    Loaded(PipelineConfig<?> config) {
      this.config = config;
    }

    @Override
    public synchronized TaskPipeline<?> get() {
      if (pipeline == null) {
        long start = System.nanoTime();
        pipeline = PipelineFactory.fromServiceLoader().create(config);
        LOG.info("loaded the {} pipeline in {} ms", config.task().name(), (System.nanoTime() - start) / 1_000_000);
      }
      return pipeline;
    }

    synchronized void close() {
      if (pipeline != null) {
        try {
          pipeline.close();
        } catch (RuntimeException e) {
          LOG.warn("closing the {} pipeline failed: {}", config.task().name(), e.getMessage());
        }
        pipeline = null;
      }
    }
  }
}
