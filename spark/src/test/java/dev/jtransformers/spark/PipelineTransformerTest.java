package dev.jtransformers.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jtransformers.pipelines.PipelineConfig;
import dev.jtransformers.pipelines.tasks.QuestionAnswering;
import dev.jtransformers.pipelines.tasks.TextClassification;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The transformer as a Spark ML stage: saved and loaded, alone and in an ML Pipeline; models sent with addFile. */
class PipelineTransformerTest {
  private static SparkSession spark;
  private static Dataset<Row> reviews;

  @BeforeAll
  static void startSpark() {
    spark = LocalSpark.session();
    StructType schema = new StructType().add("review", DataTypes.StringType).add("context", DataTypes.StringType);
    reviews = spark.createDataFrame(List.of(
        RowFactory.create("What a wonderful, moving film.", "The film was shot in Iceland over two winters."),
        RowFactory.create("Dull and far too long.", "It runs for three hours and ten minutes."),
        RowFactory.create("I laughed the whole way through.", "The director also wrote the script.")), schema);
  }

  private static PipelineTransformer sentiment() {
    return new PipelineTransformer()
        .setConfig(PipelineConfig.builder(TextClassification.TASK).build())
        .setInputCol("review")
        .setOutputCol("sentiment");
  }

  @Test
  void savedAndLoadedItGivesTheSameResults(@TempDir Path dir) throws Exception {
    PipelineTransformer transformer = sentiment().setStrict(true).setErrorCol("problem");
    transformer.save(dir.resolve("stage").toString());

    PipelineTransformer loaded = PipelineTransformer.load(dir.resolve("stage").toString());

    assertEquals(transformer.uid(), loaded.uid());
    assertEquals(transformer.extractParamMap().toString(), loaded.extractParamMap().toString());
    assertEquals(transformer.transform(reviews).collectAsList(), loaded.transform(reviews).collectAsList());
  }

  @Test
  void aStageOfAnMlPipeline(@TempDir Path dir) throws Exception {
    PipelineModel model = new Pipeline().setStages(new PipelineStage[] {sentiment()}).fit(reviews);
    model.save(dir.resolve("model").toString());

    PipelineModel loaded = PipelineModel.load(dir.resolve("model").toString());

    List<Row> rows = loaded.transform(reviews).collectAsList();
    assertEquals(model.transform(reviews).collectAsList(), rows);
    assertEquals("POSITIVE", rows.get(0).<Row>getList(rows.get(0).fieldIndex("sentiment")).get(0).getAs("label"));
  }

  @Test
  void theModelSentWithAddFileGivesWhatTheSharedPathGives() {
    Path model = LocalSpark.shared("models/tiny-random-bert-qa");
    spark.sparkContext().addFile(model.toString(), true);
    PipelineConfig<?> config = PipelineConfig.builder(QuestionAnswering.TASK).model(model.toString()).build();
    PipelineTransformer fromPath = new PipelineTransformer().setConfig(config)
        .setInputCol("review").setPairCol("context").setOutputCol("answer");
    PipelineTransformer fromSparkFiles = fromPath.copy(fromPath.extractParamMap())
        .setConfig(config.toBuilder().model("unused: replaced by the executor's copy").build())
        .setModelSparkFile(model.getFileName().toString());

    List<Row> rows = fromSparkFiles.transform(reviews).collectAsList();

    assertEquals(fromPath.transform(reviews).collectAsList(), rows);
    assertNull(rows.get(0).getAs("answer_error"));
  }

  @Test
  void withoutAConfigItSaysWhatToSet() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> new PipelineTransformer("t").transformSchema(reviews.schema()));
    assertEquals("transformer t has no pipeline config: call setConfig first", e.getMessage());
  }
}
