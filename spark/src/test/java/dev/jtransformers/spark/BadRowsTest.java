package dev.jtransformers.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtransformers.pipelines.PipelineConfig;
import dev.jtransformers.pipelines.Pipelines;
import dev.jtransformers.pipelines.TaskPipeline;
import dev.jtransformers.pipelines.tasks.FillMask;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.SparkException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A bad row gets a null result and its error, the rows around it their results; strict mode fails the job. */
class BadRowsTest {
  private static final String GOOD = "A [MASK] is taking off.";
  private static final String NO_MASK = "A plane is taking off.";
  private static final String TOO_LONG = "a [MASK] " + "plane ".repeat(600);

  private static SparkSession spark;
  private static Dataset<Row> rows;
  private static PipelineConfig<?> config;

  @BeforeAll
  static void startSpark() {
    spark = LocalSpark.session();
    config = PipelineConfig.builder(FillMask.TASK)
        .model(LocalSpark.shared("models/tiny-random-bert-mlm").toString())
        .truncation(false).build();
    StructType schema = new StructType().add("id", DataTypes.IntegerType).add("text", DataTypes.StringType);
    List<Row> data = new ArrayList<>();
    List<String> texts = Arrays.asList(GOOD, null, NO_MASK, TOO_LONG, "The [MASK] sat on the mat.");
    for (int i = 0; i < texts.size(); i++) {
      data.add(RowFactory.create(i, texts.get(i)));
    }
    rows = spark.createDataFrame(data, schema).coalesce(1);
  }

  @Test
  void badRowsGetAnErrorAndTheOthersTheirResults() {
    List<Row> out = DatasetPipeline.builder(config).build().apply(rows).collectAsList();

    assertEquals("column 'text' is null", out.get(1).getAs("result_error"));
    assertTrue(out.get(2).<String>getAs("result_error").contains("has no mask token"), out.get(2).toString());
    assertTrue(out.get(3).<String>getAs("result_error").contains("512"), out.get(3).toString());
    for (int bad : new int[] {1, 2, 3}) {
      assertNull(out.get(bad).getAs("result"), "row " + bad);
    }
    ResultType type = ResultType.of(config);
    try (TaskPipeline<?> oneMachine = Pipelines.create(config)) {
      for (int good : new int[] {0, 4}) {
        assertNull(out.get(good).getAs("result_error"));
        assertEquals(type.toSpark(oneMachine.apply(out.get(good).<String>getAs("text"))), out.get(good).getAs("result"));
      }
    }
  }

  @Test
  void aRerunGivesTheSameRows() {
    Dataset<Row> filled = DatasetPipeline.builder(config).build().apply(rows);

    assertEquals(filled.collectAsList(), filled.collectAsList());
  }

  @Test
  void strictModeFailsTheJobNamingTheRow() {
    Dataset<Row> strict = DatasetPipeline.builder(config).strict(true).build().apply(rows);

    SparkException failure = assertThrows(SparkException.class, strict::collectAsList);
    assertTrue(failure.getMessage().contains("strict mode: a row's input is bad (text null)"), failure.getMessage());
  }

  @Test
  void aColumnOfTheWrongTypeFailsBeforeAnyWork() {
    DatasetPipeline pipeline = DatasetPipeline.builder(config).inputCol("id").build();

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pipeline.apply(rows));
    assertEquals("input column 'id' must hold strings, but its type is int: cast it, or choose another column",
        e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> DatasetPipeline.builder(config).inputCol("missing").build()
        .outputSchema(rows.schema()));
    assertThrows(IllegalArgumentException.class, () -> DatasetPipeline.builder(config).outputCol("text").build()
        .outputSchema(rows.schema()));
  }
}
