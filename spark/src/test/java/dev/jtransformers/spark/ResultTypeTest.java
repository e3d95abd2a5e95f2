package dev.jtransformers.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtransformers.api.Label;
import dev.jtransformers.api.Tensor;
import dev.jtransformers.pipelines.PipelineConfig;
import dev.jtransformers.pipelines.spi.Task;
import dev.jtransformers.pipelines.tasks.Entity;
import dev.jtransformers.pipelines.tasks.FeatureExtraction;
import dev.jtransformers.pipelines.tasks.FillMask;
import dev.jtransformers.pipelines.tasks.QuestionAnswering;
import dev.jtransformers.pipelines.tasks.TextClassification;
import dev.jtransformers.pipelines.tasks.TokenClassification;
import dev.jtransformers.pipelines.tasks.ZeroShotClassification;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import scala.jdk.javaapi.CollectionConverters;

/** The Spark column types of the tasks' results, and results converted to values of them. */
class ResultTypeTest {

  private static String columnType(Task<?> task) {
    return ResultType.of(PipelineConfig.builder(task).build()).dataType().simpleString();
  }

  @Test
  void everyTaskHasATypedColumn() {
    assertEquals("array<struct<label:string,score:double>>", columnType(TextClassification.TASK));
    assertEquals("array<float>", columnType(FeatureExtraction.TASK));
    assertEquals("array<struct<label:string,score:double,index:int,word:string,start:int,end:int>>",
        columnType(TokenClassification.TASK));
    assertEquals("array<array<struct<score:double,token:int,token_str:string,sequence:string>>>",
        columnType(FillMask.TASK));
    assertEquals("array<struct<score:double,start:int,end:int,answer:string>>", columnType(QuestionAnswering.TASK));
    assertEquals("struct<sequence:string,labels:array<string>,scores:array<double>>",
        columnType(ZeroShotClassification.TASK));
  }

  @Test
  void tokenStatesAreArraysOfVectorsWhenPoolingIsOff() {
    ResultType type = ResultType.of(
        PipelineConfig.builder(FeatureExtraction.TASK).option(FeatureExtraction.POOLING, Optional.empty()).build());

    assertEquals("array<array<float>>", type.dataType().simpleString());
    assertEquals(List.of(List.of(1f, 2f), List.of(3f, 4f)), javaLists(type.toSpark(Tensor.of(new float[][] {{1, 2},
        {3, 4}}))));
  }

  @Test
  void tokenStatesWhereVectorsWereDeclaredSayWhatToSet() {
    ResultType type = ResultType.of(PipelineConfig.builder(FeatureExtraction.TASK).build());

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> type.toSpark(Tensor.of(new float[][] {{1, 2}, {3, 4}})));
    assertTrue(e.getMessage().contains("set \"pooling\" to mean, cls or max"), e.getMessage());
  }

  @Test
  void recordsBecomeRowsAndAnAbsentIndexNull() {
    ResultType type = ResultType.of(PipelineConfig.builder(TokenClassification.TASK).build());

    Object value = type.toSpark(List.of(new Entity("PER", 0.5, OptionalInt.empty(), "ada", 0, 3),
        new Entity("B-LOC", 0.25, OptionalInt.of(4), "paris", 10, 15)));

    List<?> rows = javaLists(value);
    assertEquals("PER", ((Row) rows.get(0)).getString(0));
    assertNull(((Row) rows.get(0)).get(2));
    assertEquals(4, ((Row) rows.get(1)).getInt(2));
    assertEquals("paris", ((Row) rows.get(1)).getString(3));
  }

  @Test
  void labelsKeepTheirOrderAndScores() {
    ResultType type = ResultType.of(PipelineConfig.builder(TextClassification.TASK).build());

    List<?> rows = javaLists(type.toSpark(List.of(new Label("POSITIVE", 0.9), new Label("NEGATIVE", 0.1))));

    assertEquals("POSITIVE", ((Row) rows.get(0)).getAs(0));
    assertEquals(0.1, ((Row) rows.get(1)).getDouble(1));
  }

  /** A Spark array value, and the arrays within it, as Java lists. */
  private static List<?> javaLists(Object sparkArray) {
    return CollectionConverters.asJava((scala.collection.Seq<?>) sparkArray).stream()
        .map(v -> v instanceof scala.collection.Seq<?> ? javaLists(v) : v)
        .toList();
  }
}
