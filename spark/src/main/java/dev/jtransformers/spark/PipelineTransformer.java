package dev.jtransformers.spark;

import dev.jtransformers.pipelines.PipelineConfig;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * Any pipeline as a Spark ML {@link Transformer}, so it can be a stage of an ML {@code Pipeline} and be saved and
 * loaded with it: its Params are the input column(s), the output and error columns, strict mode, the pipeline
 * configuration in its JSON form, and where executors find the model. It runs as {@link DatasetPipeline} does.
 *
 * <pre>{@code
 * PipelineTransformer sentiment = new PipelineTransformer()
 *     .setConfig(PipelineConfig.builder(TextClassification.TASK).build())
 *     .setInputCol("review").setOutputCol("sentiment");
 * sentiment.transform(reviews);     // sentiment: array<struct<label: string, score: double>>
 * sentiment.save("hdfs:///models/sentiment-stage");
 * PipelineTransformer again = PipelineTransformer.load("hdfs:///models/sentiment-stage");
 * }</pre>
 *
 * <p>Saving writes the Params only (the configuration names the model; the model files are not copied). Like every
 * Spark ML stage, it is mutable through its setters; set it up before handing it to Spark.
 */
public final class PipelineTransformer extends Transformer implements DefaultParamsWritable {
  private static final long serialVersionUID = 1L;

  private final String uid;
  private final Param<String> config;
  private final Param<String> inputCol;
  private final Param<String> pairCol;
  private final Param<String> outputCol;
  private final Param<String> errorCol;
  private final BooleanParam strict;
  private final Param<String> modelSparkFile;

  /** A transformer with a fresh uid; set its configuration before use. */
  public PipelineTransformer() {
    this(Identifiable.randomUID("jtransformers"));
  }

  /** A transformer with this uid, as Spark ML persistence creates it when loading. */
  public PipelineTransformer(String uid) {
    this.uid = uid;
    this.config = new Param<>(this, "config", "the pipeline configuration as JSON (task, model, backend, batch_size,"
        + " task options)");
    this.inputCol = new Param<>(this, "inputCol", "the column of the text: the sentence, the masked text, the question");
    this.pairCol = new Param<>(this, "pairCol", "the column of the second text: a classifier's text_pair, question"
        + " answering's context; empty for single texts");
    this.outputCol = new Param<>(this, "outputCol", "the column the results go to");
    this.errorCol = new Param<>(this, "errorCol", "the column a bad row's error goes to; empty for outputCol_error");
    this.strict = new BooleanParam(this, "strict", "whether a bad row fails the job instead of getting an error");
    this.modelSparkFile = new Param<>(this, "modelSparkFile", "the name of the model directory distributed with"
        + " SparkContext.addFile, loaded in place of the configuration's model; empty for the configuration's own");
    setDefault(inputCol, "text");
    setDefault(pairCol, "");
    setDefault(outputCol, "result");
    setDefault(errorCol, "");
    setDefault(strict, false);
    setDefault(modelSparkFile, "");
  }

  /** The reader Spark ML persistence loads a saved transformer with. */
  public static MLReader<PipelineTransformer> read() {
    return new DefaultParamsReader<>();
  }

  /** A transformer saved with {@link #save(String)}. */
  public static PipelineTransformer load(String path) {
    return read().load(path);
  }

  @Override
  public String uid() {
    return uid;
  }

  /** The pipeline configuration as JSON. */
  public Param<String> config() {
    return config;
  }

  /** The column of the text. */
  public Param<String> inputCol() {
    return inputCol;
  }

  /** The column of the second text; empty for none. */
  public Param<String> pairCol() {
    return pairCol;
  }

  /** The column the results go to. */
  public Param<String> outputCol() {
    return outputCol;
  }

  /** The column errors go to; empty for the output column's name with {@code _error}. */
  public Param<String> errorCol() {
    return errorCol;
  }

  /** Whether a bad row fails the job. */
  public BooleanParam strict() {
    return strict;
  }

  /** The name of the model directory distributed with {@code SparkContext.addFile}; empty for none. */
  public Param<String> modelSparkFile() {
    return modelSparkFile;
  }

  /** Sets the pipeline configuration. */
  public PipelineTransformer setConfig(PipelineConfig<?> value) {
    return setConfigJson(PipelineConfigJson.write(value));
  }

  /**
   * Sets the pipeline configuration in its JSON form.
   *
   * @throws IllegalArgumentException naming the key, if it is not a configuration of a task on the classpath
   */
  public PipelineTransformer setConfigJson(String value) {
    PipelineConfigJson.read(value);
    set(config, value);
    return this;
  }

  public PipelineTransformer setInputCol(String value) {
    set(inputCol, value);
    return this;
  }

  public PipelineTransformer setPairCol(String value) {
    set(pairCol, value);
    return this;
  }

  public PipelineTransformer setOutputCol(String value) {
    set(outputCol, value);
    return this;
  }

  public PipelineTransformer setErrorCol(String value) {
    set(errorCol, value);
    return this;
  }

  public PipelineTransformer setStrict(boolean value) {
    set(strict, value);
    return this;
  }

  public PipelineTransformer setModelSparkFile(String value) {
    set(modelSparkFile, value);
    return this;
  }

  /** The transformation these Params describe. */
  public DatasetPipeline toDatasetPipeline() {
    if (!isDefined(config)) {
      throw new IllegalStateException("transformer " + uid + " has no pipeline config: call setConfig first");
    }
    DatasetPipeline.Builder b = DatasetPipeline.builder($(config))
        .inputCol($(inputCol))
        .outputCol($(outputCol))
        .strict((Boolean) $(strict));
    if (!$(pairCol).isEmpty()) {
      b.pairCol($(pairCol));
    }
    if (!$(errorCol).isEmpty()) {
      b.errorCol($(errorCol));
    }
    if (!$(modelSparkFile).isEmpty()) {
      b.modelSparkFile($(modelSparkFile));
    }
    return b.build();
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    return toDatasetPipeline().apply(dataset.toDF());
  }

  @Override
  public StructType transformSchema(StructType schema) {
    return toDatasetPipeline().outputSchema(schema);
  }

  @Override
  public PipelineTransformer copy(ParamMap extra) {
    return (PipelineTransformer) defaultCopy(extra);
  }
}
