package dev.jtransformers.spark;

import dev.jtransformers.pipelines.PipelineConfig;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A pipeline as a function over a Spark {@code Dataset<Row>}: each row's input column(s) in, the same rows out with
 * the task's result in a typed column and an error column beside it. {@link PipelineTransformer} is the same as a
 * Spark ML stage.
 *
 * <pre>{@code
 * DatasetPipeline embed = DatasetPipeline.builder(PipelineConfig.builder(FeatureExtraction.TASK).build())
 *     .inputCol("sentence").outputCol("embedding").build();
 * Dataset<Row> embedded = embed.apply(sentences);   // embedding: array<float>, embedding_error: string
 * }</pre>
 *
 * <p>Each executor loads the pipeline once, on first use, from the configuration's model (a path every executor can
 * read, a hub id, or the default model) or from the directory distributed with {@code SparkContext.addFile} under
 * {@link Builder#modelSparkFile(String)}; nothing of the model travels through the driver. A row whose input is bad
 * (null, or refused by the task, e.g. too long with truncation off) gets a null result and the reason in the error
 * column; in {@linkplain Builder#strict(boolean) strict mode} it fails the job instead. Immutable.
 */
public final class DatasetPipeline implements UnaryOperator<Dataset<Row>> {
  private final String configJson;
  private final String inputCol;
  private final String pairCol;
  private final String outputCol;
  private final String errorCol;
  private final boolean strict;
  private final String modelSparkFile;
  private final ResultType resultType;

  private DatasetPipeline(Builder b, PipelineConfig<?> config) {
    this.configJson = PipelineConfigJson.write(config);
    this.inputCol = b.inputCol;
    this.pairCol = b.pairCol;
    this.outputCol = b.outputCol;
    this.errorCol = b.errorCol == null ? b.outputCol + "_error" : b.errorCol;
    this.strict = b.strict;
    this.modelSparkFile = b.modelSparkFile;
    this.resultType = ResultType.of(config);
  }

  /** A builder for a pipeline of this configuration. */
  public static Builder builder(PipelineConfig<?> config) {
    return new Builder(Objects.requireNonNull(config, "config"));
  }

  /**
   * A builder for a pipeline of a configuration in its JSON form ({@link
   * dev.jtransformers.pipelines.PipelineConfigCodec}).
   *
   * @throws IllegalArgumentException naming the key, if the JSON is not a configuration of a task on the classpath
   */
  public static Builder builder(String configJson) {
    return builder(PipelineConfigJson.read(Objects.requireNonNull(configJson, "configJson")));
  }

  /**
   * The schema of {@link #apply}'s result: the input's columns, then the result column (the task's result type) and
   * the error column (string), both nullable.
   *
   * @throws IllegalArgumentException naming the column, if an input column is missing or holds no strings, or an
   *     output column exists already
   */
  public StructType outputSchema(StructType input) {
    InputColumns.in(input, inputCol, pairCol);
    for (String column : new String[] {outputCol, errorCol}) {
      if (Arrays.asList(input.fieldNames()).contains(column)) {
        throw new IllegalArgumentException("output column '" + column + "' exists already in the data");
      }
    }
    return input.add(outputCol, resultType.dataType(), true).add(errorCol, DataTypes.StringType, true);
  }

  /** The rows with their results: lazy, as Spark transformations are; runs when an action asks for the rows. */
  @Override
  public Dataset<Row> apply(Dataset<Row> rows) {
    StructType schema = outputSchema(rows.schema());
    return rows.mapPartitions(
        new PartitionPipeline(configJson, modelSparkFile, InputColumns.in(rows.schema(), inputCol, pairCol), strict),
        Encoders.row(schema));
  }

  /** Builds a {@link DatasetPipeline}; defaults: input column {@code text}, output {@code result}. */
  public static final class Builder {
    private final PipelineConfig<?> config;
    private String inputCol = "text";
    private String pairCol;
    private String outputCol = "result";
    private String errorCol;
    private boolean strict;
    private String modelSparkFile;

    private Builder(PipelineConfig<?> config) {
      this.config = config;
    }

    /** The column of the text: the sentence, the text with a mask, the question. */
    public Builder inputCol(String column) {
      this.inputCol = Objects.requireNonNull(column, "column");
      return this;
    }

    /**
     * The column of the second text, for tasks that take pairs: a classifier's {@code text_pair}, question
     * answering's context (required there); none by default.
     */
    public Builder pairCol(String column) {
      this.pairCol = column;
      return this;
    }

    /** The column the results go to. */
    public Builder outputCol(String column) {
      this.outputCol = Objects.requireNonNull(column, "column");
      return this;
    }

    /** The column a bad row's error goes to; by default the output column's name with {@code _error}. */
    public Builder errorCol(String column) {
      this.errorCol = Objects.requireNonNull(column, "column");
      return this;
    }

    /** Whether a bad row fails the job (true), or gets a null result and its error (false, the default). */
    public Builder strict(boolean strict) {
      this.strict = strict;
      return this;
    }

    /**
     * Loads the model from the directory distributed with {@code SparkContext.addFile(directory, true)}: each
     * executor reads its local copy, {@code SparkFiles.get(name)}, in place of the configuration's model.
     *
     * @param name the directory's name (its last path element), or null to load the configuration's model
     */
    public Builder modelSparkFile(String name) {
      this.modelSparkFile = name;
      return this;
    }

    /**
     * The pipeline.
     *
     * @throws IllegalArgumentException if the output and error columns have one name, or the task's results have no
     *     Spark form
     */
    public DatasetPipeline build() {
      if (outputCol.equals(errorCol)) {
        throw new IllegalArgumentException("the output and error columns are both '" + outputCol + "'");
      }
      return new DatasetPipeline(this, config);
    }
  }
}
