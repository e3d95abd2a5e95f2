package dev.jtransformers.spark;

import dev.jtransformers.api.InvalidInputException;
import dev.jtransformers.pipelines.PipelineConfig;
import dev.jtransformers.pipelines.TaskPipeline;
import dev.jtransformers.pipelines.spi.TaskOptions;
import dev.jtransformers.pipelines.spi.TaskRequest;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.SparkFiles;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * What runs on the executors: the rows of a partition, read in groups, through the executor's pipeline (its own
 * length-sorted batching within each group), each row put out again with its result and error appended.
 *
 * <p>Only the configuration's JSON and the column positions travel from the driver; the pipeline is loaded where it
 * runs, from a path every executor reads or from the file Spark distributed. Results depend only on the partition's
 * rows and their order, so a task Spark retries gives the same results.
 */
final class PartitionPipeline implements MapPartitionsFunction<Row, Row> {
  private static final long serialVersionUID = 1L;
  /** Rows per call of the pipeline, in batches: enough for length sorting to pay, few enough to stream. */
  private static final int BATCHES_PER_CALL = 16;

  private final String configJson;
  private final String modelSparkFile;
  private final InputColumns inputs;
  private final boolean strict;

  /**
   * @param configJson the pipeline's configuration, as {@link dev.jtransformers.pipelines.PipelineConfigCodec}
   *     writes it
   * @param modelSparkFile the name the model directory was distributed under with {@code SparkContext.addFile}, or
   *     null to load the configuration's model as it names it
   */
  PartitionPipeline(String configJson, String modelSparkFile, InputColumns inputs, boolean strict) {
    this.configJson = configJson;
    this.modelSparkFile = modelSparkFile;
    this.inputs = inputs;
    this.strict = strict;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
    PipelineConfig<?> config = PipelineConfigJson.read(configJson);
    if (modelSparkFile != null) {
      config = config.toBuilder().model(SparkFiles.get(modelSparkFile)).build();
    }
    return new Results(rows, ExecutorPipelines.get(config), ResultType.of(config),
        Math.max(1, config.batchSize()) * BATCHES_PER_CALL);
  }

  /** The output rows, computed a group at a time as Spark pulls them. */
  private final class Results implements Iterator<Row> {
    private final Iterator<Row> rows;
    private final TaskPipeline<?> pipeline;
    private final ResultType resultType;
    private final TaskOptions noParameters;
    private final int groupSize;
    private Iterator<Row> group = List.<Row>of().iterator();

    Results(Iterator<Row> rows, TaskPipeline<?> pipeline, ResultType resultType, int groupSize) {
      this.rows = rows;
      this.pipeline = pipeline;
      this.resultType = resultType;
      this.noParameters = TaskOptions.parameters(pipeline.task()).build();
      this.groupSize = groupSize;
    }

    @Override
    public boolean hasNext() {
      if (!group.hasNext() && rows.hasNext()) {
        group = nextGroup().iterator();
      }
      return group.hasNext();
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return group.next();
    }

    private List<Row> nextGroup() {
      List<Row> in = new ArrayList<>(groupSize);
      while (in.size() < groupSize && rows.hasNext()) {
        in.add(rows.next());
      }
      Object[] results = new Object[in.size()];
      String[] errors = new String[in.size()];
      List<TaskRequest> requests = new ArrayList<>(in.size());
      List<Integer> requested = new ArrayList<>(in.size());
      for (int i = 0; i < in.size(); i++) {
        try {
          requests.add(new TaskRequest(inputs.read(in.get(i)), noParameters));
          requested.add(i);
        } catch (InvalidInputException e) {
          errors[i] = fail(in.get(i), e);
        }
      }
      List<?> answers = runAll(requests, in, requested, errors);
      for (int k = 0; k < requested.size(); k++) {
        if (answers.get(k) != null) {
          results[requested.get(k)] = resultType.toSpark(answers.get(k));
        }
      }
      List<Row> out = new ArrayList<>(in.size());
      for (int i = 0; i < in.size(); i++) {
        out.add(withResult(in.get(i), results[i], errors[i]));
      }
      return out;
    }

    /**
     * The results of the requests as one call; if an input in it is bad, each request alone, so that only the bad
     * rows go without a result. Null where a request failed, its error set.
     */
    private List<?> runAll(List<TaskRequest> requests, List<Row> in, List<Integer> requested, String[] errors) {
      try {
        return pipeline.process(requests);
      } catch (InvalidInputException e) {
        List<Object> one = new ArrayList<>(requests.size());
        for (int k = 0; k < requests.size(); k++) {
          try {
            one.add(pipeline.process(List.of(requests.get(k))).get(0));
          } catch (InvalidInputException bad) {
            errors[requested.get(k)] = fail(in.get(requested.get(k)), bad);
            one.add(null);
          }
        }
        return one;
      }
    }

    /** The error message of a bad row; in strict mode, the task's failure instead. */
    private String fail(Row row, InvalidInputException e) {
      String message = innermost(e).getMessage();
      if (strict) {
        throw new InvalidInputException("strict mode: a row's input is bad (" + inputs.describe(row) + "): "
            + message, e);
      }
      return message;
    }
  }

  /** The message of the input error at the root, without the pipeline's "input N" of the position in its call. */
  private static InvalidInputException innermost(InvalidInputException e) {
    InvalidInputException innermost = e;
    while (innermost.getCause() instanceof InvalidInputException cause) {
      innermost = cause;
    }
    return innermost;
  }

  private static Row withResult(Row row, Object result, String error) {
    Object[] values = new Object[row.length() + 2];
    for (int i = 0; i < row.length(); i++) {
      values[i] = row.get(i);
    }
    values[row.length()] = result;
    values[row.length() + 1] = error;
    return RowFactory.create(values);
  }
}
