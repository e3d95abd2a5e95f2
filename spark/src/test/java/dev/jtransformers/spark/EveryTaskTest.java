package dev.jtransformers.spark;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtransformers.api.TextInput;
import dev.jtransformers.pipelines.PipelineConfig;
import dev.jtransformers.pipelines.Pipelines;
import dev.jtransformers.pipelines.TaskPipeline;
import dev.jtransformers.pipelines.tasks.AggregationStrategy;
import dev.jtransformers.pipelines.tasks.FeatureExtraction;
import dev.jtransformers.pipelines.tasks.FillMask;
import dev.jtransformers.pipelines.tasks.QuestionAnswering;
import dev.jtransformers.pipelines.tasks.TextClassification;
import dev.jtransformers.pipelines.tasks.TokenClassification;
import dev.jtransformers.pipelines.tasks.TopK;
import dev.jtransformers.pipelines.tasks.ZeroShotClassification;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.ml.functions;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every task on a DataFrame in {@code local[2]} gives what the pipeline gives on one machine for the same rows. */
class EveryTaskTest {
  private static final List<String> SENTENCES = List.of(
      "I've been waiting for a HuggingFace course my whole life.",
      "I hate this so much!",
      "A man is playing a guitar.",
      "The movie was a delight from start to finish, funny and warm.",
      "contains no wit , only labored gags",
      "A woman is slicing an onion.",
      "Stocks fell sharply after the announcement.",
      "What a dull, lifeless and tedious film.",
      "The cat sat on the mat.",
      "An absolutely stunning performance by the whole cast.",
      "Two dogs are running through a field of tall grass in the early morning sun.",
      "It's fine.");

  private static SparkSession spark;

  @BeforeAll
  static void startSpark() {
    spark = LocalSpark.session();
  }

  @Test
  void sentimentOnTheDefaultModel() {
    List<Row> rows = assertSameAsOneMachine(PipelineConfig.builder(TextClassification.TASK)
        .option(TextClassification.TOP_K, TopK.ALL).build(), singles(SENTENCES));
    Row best = rows.get(1).<Row>getList(rows.get(1).fieldIndex("out")).get(0);
    assertEquals("NEGATIVE", best.getAs("label"), "I hate this so much!");
  }

  @Test
  void sentenceEmbeddingsOnTheDefaultModel() {
    PipelineConfig<?> config = PipelineConfig.builder(FeatureExtraction.TASK).build();
    List<Row> rows = assertSameAsOneMachine(config, singles(SENTENCES));
    List<Float> embedding = rows.get(0).getList(rows.get(0).fieldIndex("out"));
    assertEquals(384, embedding.size());

    Row asVector = DatasetPipeline.builder(config).outputCol("out").build().apply(dataFrame(singles(SENTENCES)))
        .withColumn("vector", functions.array_to_vector(col("out"))).where(col("id").equalTo(0)).first();
    Vector vector = asVector.getAs("vector");
    assertEquals(embedding.get(383), (float) vector.apply(383), "an ML Vector of the same numbers");
  }

  @Test
  void tokenStatesWithPoolingOff() {
    assertSameAsOneMachine(PipelineConfig.builder(FeatureExtraction.TASK)
        .model(LocalSpark.shared("models/tiny-random-bert").toString())
        .option(FeatureExtraction.POOLING, Optional.empty()).build(), singles(SENTENCES));
  }

  @Test
  void textPairClassification() {
    List<TextInput> pairs = new ArrayList<>();
    for (int i = 0; i + 1 < SENTENCES.size(); i++) {
      pairs.add(TextInput.pair(SENTENCES.get(i), SENTENCES.get(i + 1)));
    }
    assertSameAsOneMachine(PipelineConfig.builder(TextClassification.TASK)
        .model(LocalSpark.shared("models/tiny-random-bert").toString()).build(), pairs);
  }

  @Test
  void tokenClassification() {
    assertSameAsOneMachine(PipelineConfig.builder(TokenClassification.TASK)
        .model(LocalSpark.shared("models/tiny-random-bert-ner").toString())
        .option(TokenClassification.AGGREGATION_STRATEGY, AggregationStrategy.NONE).build(), singles(SENTENCES));
    assertSameAsOneMachine(PipelineConfig.builder(TokenClassification.TASK)
        .model(LocalSpark.shared("models/tiny-random-distilbert-ner").toString())
        .option(TokenClassification.AGGREGATION_STRATEGY, AggregationStrategy.SIMPLE).build(), singles(SENTENCES));
  }

  @Test
  void fillMask() {
    List<TextInput> masked = new ArrayList<>();
    for (String sentence : SENTENCES) {
      masked.add(TextInput.of(sentence.replaceFirst("\\b[a-z]{3,}\\b", "[MASK]")));
    }
    masked.add(TextInput.of("A [MASK] is playing a [MASK]."));
    assertSameAsOneMachine(PipelineConfig.builder(FillMask.TASK)
        .model(LocalSpark.shared("models/tiny-random-bert-mlm").toString())
        .option(FillMask.TOP_K, 3).build(), masked);
  }

  @Test
  void questionAnswering() {
    String context = String.join(" ", SENTENCES);
    List<TextInput> questions = List.of(
        TextInput.pair("Who is playing a guitar?", context),
        TextInput.pair("What is the woman slicing?", context),
        TextInput.pair("Where did the cat sit?", context),
        TextInput.pair("What fell?", "Stocks fell sharply after the announcement."));
    assertSameAsOneMachine(PipelineConfig.builder(QuestionAnswering.TASK)
        .model(LocalSpark.shared("models/tiny-random-bert-qa").toString())
        .option(QuestionAnswering.TOP_K, 2).build(), questions);
  }

  @Test
  void zeroShotClassification() {
    assertSameAsOneMachine(PipelineConfig.builder(ZeroShotClassification.TASK)
        .model(LocalSpark.shared("models/tiny-random-bert-nli").toString())
        .option(ZeroShotClassification.CANDIDATE_LABELS, List.of("music", "food", "finance"))
        .option(ZeroShotClassification.MULTI_LABEL, true).build(), singles(SENTENCES));
  }

  private static List<TextInput> singles(List<String> texts) {
    return texts.stream().map(TextInput::of).toList();
  }

  /**
   * Runs the inputs as rows of a two-partition DataFrame and on one machine, and checks that each row's result is the
   * one-machine result as a Spark value; the rows, in input order.
   */
  private static List<Row> assertSameAsOneMachine(PipelineConfig<?> config, List<TextInput> inputs) {
    boolean pairs = inputs.get(0).isPair();
    Dataset<Row> data = dataFrame(inputs);
    assertEquals(2, data.rdd().getNumPartitions());
    DatasetPipeline pipeline = DatasetPipeline.builder(config)
        .inputCol("text").pairCol(pairs ? "pair" : null).outputCol("out").build();

    List<Row> rows = new ArrayList<>(pipeline.apply(data).collectAsList());
    rows.sort((a, b) -> Integer.compare(a.getInt(0), b.getInt(0)));

    List<?> expected;
    try (TaskPipeline<?> oneMachine = Pipelines.create(config)) {
      expected = oneMachine.applyAll(inputs);
    }
    ResultType type = ResultType.of(config);
    assertEquals(inputs.size(), rows.size());
    for (int i = 0; i < inputs.size(); i++) {
      Row row = rows.get(i);
      assertNull(row.getAs("out_error"), () -> "row " + row);
      assertEquals(type.toSpark(expected.get(i)), row.getAs("out"), "row " + i + ": " + inputs.get(i));
    }
    assertEquals(type.dataType(), pipeline.outputSchema(data.schema()).apply("out").dataType());
    assertTrue(Set.of(pipeline.outputSchema(data.schema()).fieldNames()).contains("out_error"));
    return rows;
  }

  private static Dataset<Row> dataFrame(List<TextInput> inputs) {
    StructType schema = new StructType()
        .add("id", DataTypes.IntegerType, false)
        .add("text", DataTypes.StringType, true)
        .add("pair", DataTypes.StringType, true);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < inputs.size(); i++) {
      rows.add(RowFactory.create(i, inputs.get(i).text(), inputs.get(i).textPair()));
    }
    return spark.createDataFrame(rows, schema).repartition(2);
  }
}
