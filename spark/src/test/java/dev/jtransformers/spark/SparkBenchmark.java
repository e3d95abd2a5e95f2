package dev.jtransformers.spark;

import dev.jtransformers.api.TextInput;
import dev.jtransformers.pipelines.PipelineConfig;
import dev.jtransformers.pipelines.Pipelines;
import dev.jtransformers.pipelines.TaskPipeline;
import dev.jtransformers.pipelines.tasks.FeatureExtraction;
import dev.jtransformers.pipelines.tasks.TextClassification;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Rows per second of feature-extraction (STS-B sentences) and sentiment (SST-2 sentences) on the default models:
 * the single-process pipeline, and the same pipeline as a Spark transformation in {@code local[1]} and {@code
 * local[2]}, each with start-up timed apart from the steady rate. Every mode runs in a JVM of its own, started from
 * this one with the same classpath, so each pays its own model load; all modes run one after the other in one
 * invocation, so their ratios come from one run. The engine gets one intra-op thread per task, so {@code local[N]}
 * uses N cores and the rate per core can be read off.
 *
 * <p>Usage: {@code SparkBenchmark [ROWS] [SHARED_DIR]} (defaults 20000 and {@code ../shared}); a child runs as
 * {@code SparkBenchmark --mode MODE TASK ROWS SHARED_DIR}.
 */
public final class SparkBenchmark {
  private static final List<String> MODES = List.of("single", "local[1]", "local[2]");
  private static final List<String> TASKS = List.of("feature-extraction", "sentiment");
  /** Rows of the first, timed-apart Spark job: it pays for loading the pipeline on the executor. */
  private static final int WARM_UP_ROWS = 256;
  private static final int PARTITIONS = 4;

  private SparkBenchmark() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    if (args.length > 0 && args[0].equals("--mode")) {
      runMode(args[1], args[2], Integer.parseInt(args[3]), Path.of(args[4]));
      return;
    }
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    String shared = args.length > 1 ? args[1] : "../shared";
    System.out.printf("%,d rows per task; ONNX Runtime with 1 intra-op thread per task; %d Spark partitions%n", rows,
        PARTITIONS);
    System.out.println("task                mode       start-up s  first job s  steady rows/s");
    for (String task : TASKS) {
      for (String mode : MODES) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
            .toString(), "-Xmx4g", "-cp", System.getProperty("java.class.path")));
        if (System.getProperty("jtransformers.cache") != null) {
          command.add("-Djtransformers.cache=" + System.getProperty("jtransformers.cache"));
        }
        command.addAll(List.of(SparkBenchmark.class.getName(), "--mode", mode, task, Integer.toString(rows), shared));
        Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String line = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        int exit = child.waitFor();
        System.out.println(exit == 0 ? line : String.format("%-19s %-10s failed (exit %d)", task, mode, exit));
      }
    }
  }

  /** One mode and task: prints one line of the table. */
  private static void runMode(String mode, String task, int rows, Path shared) throws IOException {
    List<String> texts = task.equals("sentiment") ? sst2(shared, rows) : stsb(shared, rows);
    PipelineConfig<?> config = (task.equals("sentiment")
        ? PipelineConfig.builder(TextClassification.TASK)
        : PipelineConfig.builder(FeatureExtraction.TASK)).intraOpThreads(1).interOpThreads(1).build();
    Timing timing = mode.equals("single") ? single(config, texts) : spark(mode, config, texts);
    System.out.printf("%-19s %-10s %10.1f  %11.1f  %13.0f%n", task, mode, timing.startUpSeconds,
        timing.firstJobSeconds, rows / timing.steadySeconds);
  }

  private record Timing(double startUpSeconds, double firstJobSeconds, double steadySeconds) {}

  /** The pipeline in this process, fed as a partition feeds it: start-up is the model load. */
  private static Timing single(PipelineConfig<?> config, List<String> texts) {
    long start = System.nanoTime();
    try (TaskPipeline<?> pipeline = Pipelines.create(config)) {
      double load = since(start);
      long first = System.nanoTime();
      pipeline.applyAll(inputs(texts.subList(0, WARM_UP_ROWS)));
      double firstJob = since(first);
      int group = config.batchSize() * 16;
      long steady = System.nanoTime();
      for (int from = 0; from < texts.size(); from += group) {
        pipeline.applyAll(inputs(texts.subList(from, Math.min(texts.size(), from + group))));
      }
      return new Timing(load, firstJob, since(steady));
    }
  }

  /**
   * The transformation in a fresh session: start-up is the session's start, the first job a small one that loads the
   * pipeline on the executor, then the steady run over all rows, written to Spark's no-op sink.
   */
  private static Timing spark(String master, PipelineConfig<?> config, List<String> texts) {
    long start = System.nanoTime();
    SparkSession spark = SparkSession.builder().appName("jtransformers-spark-benchmark").master(master)
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .getOrCreate();
    try {
      double session = since(start);
      DatasetPipeline pipeline = DatasetPipeline.builder(config).outputCol("out").build();
      long first = System.nanoTime();
      run(pipeline.apply(dataFrame(spark, texts.subList(0, WARM_UP_ROWS))));
      double firstJob = since(first);
      Dataset<Row> all = dataFrame(spark, texts);
      long steady = System.nanoTime();
      run(pipeline.apply(all));
      return new Timing(session, firstJob, since(steady));
    } finally {
      spark.stop();
    }
  }

  private static void run(Dataset<Row> rows) {
    rows.write().format("noop").mode("overwrite").save();
  }

  private static Dataset<Row> dataFrame(SparkSession spark, List<String> texts) {
    List<Row> rows = new ArrayList<>(texts.size());
    texts.forEach(t -> rows.add(RowFactory.create(t)));
    return spark.createDataFrame(rows, new StructType().add("text", DataTypes.StringType)).repartition(PARTITIONS);
  }

  private static List<TextInput> inputs(List<String> texts) {
    return texts.stream().map(TextInput::of).toList();
  }

  /** SST-2 training sentences, the first {@code rows}. */
  private static List<String> sst2(Path shared, int rows) throws IOException {
    List<String> lines = Files.readAllLines(shared.resolve("data/sst2/train.tsv"), StandardCharsets.UTF_8);
    List<String> texts = new ArrayList<>(rows);
    for (String line : lines.subList(1, lines.size())) {
      texts.add(line.substring(0, line.lastIndexOf('\t')).strip());
    }
    return cycled(texts, rows);
  }

  /** STS-B sentences (both of each training and dev pair), repeated from the start when fewer than {@code rows}. */
  private static List<String> stsb(Path shared, int rows) throws IOException {
    List<String> texts = new ArrayList<>();
    for (String split : List.of("sts-train.csv", "sts-dev.csv")) {
      for (String line : Files.readAllLines(shared.resolve("data/stsbenchmark").resolve(split),
          StandardCharsets.UTF_8)) {
        String[] fields = line.split("\t");
        if (fields.length >= 7) {
          texts.add(fields[5]);
          texts.add(fields[6]);
        }
      }
    }
    return cycled(texts, rows);
  }

  private static List<String> cycled(List<String> texts, int rows) {
    List<String> out = new ArrayList<>(rows);
    while (out.size() < rows) {
      out.addAll(texts.subList(0, Math.min(texts.size(), rows - out.size())));
    }
    return out;
  }

  private static double since(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
