package dev.jtransformers.pipelines.tasks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtransformers.api.Label;
import dev.jtransformers.api.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class FunctionToApplyTest {

  @Test
  void defaultsFollowPython() {
    assertEquals(FunctionToApply.NONE, FunctionToApply.defaultFor("regression", 1));
    assertEquals(FunctionToApply.SIGMOID, FunctionToApply.defaultFor("multi_label_classification", 5));
    assertEquals(FunctionToApply.SIGMOID, FunctionToApply.defaultFor(null, 1));
    assertEquals(FunctionToApply.SOFTMAX, FunctionToApply.defaultFor(null, 2));
    assertEquals(FunctionToApply.SOFTMAX, FunctionToApply.defaultFor("single_label_classification", 3));
  }

  @Test
  void theSeedsLogitsGiveTheSeedsScores() {
    // distilbert-sst2 on the course's two sentences: POSITIVE 0.9598, NEGATIVE 0.9995.
    double[] first = FunctionToApply.SOFTMAX.apply(new float[] {-1.5607f, 1.6123f});
    double[] second = FunctionToApply.SOFTMAX.apply(new float[] {4.1692f, -3.3464f});
    assertEquals(0.9598, first[1], 1e-4);
    assertEquals(0.9995, second[0], 1e-4);
    assertArrayEquals(new double[] {0.5, 0.7310585786}, FunctionToApply.SIGMOID.apply(new float[] {0, 1}), 1e-9);
    assertArrayEquals(new double[] {-2, 3}, FunctionToApply.NONE.apply(new float[] {-2, 3}), 0);
  }

  @Test
  void appliesToEachRowOfALogitsTensor() {
    // The course's logits and the probabilities it prints: [[0.0402, 0.9598], [0.9995, 0.0005]].
    Tensor logits = Tensor.of(new float[][] {{-1.5607f, 1.6123f}, {4.1692f, -3.3464f}});
    Tensor probabilities = FunctionToApply.SOFTMAX.apply(logits);
    assertArrayEquals(new int[] {2, 2}, probabilities.shape());
    assertArrayEquals(new float[] {0.0402f, 0.9598f}, probabilities.toFloatArray2D()[0], 1e-4f);
    assertArrayEquals(new float[] {0.9995f, 0.0005f}, probabilities.toFloatArray2D()[1], 1e-4f);
    assertArrayEquals(
        new float[] {0.5f, 0.7310586f}, FunctionToApply.SIGMOID.apply(Tensor.of(new float[] {0, 1}, 2)).toFloatArray());
    assertEquals(logits, FunctionToApply.NONE.apply(logits));
    assertThrows(IllegalArgumentException.class, () -> FunctionToApply.SOFTMAX.apply(Tensor.of(new float[] {1f})));
  }

  @Test
  void softmaxIsStableForLargeLogits() {
    double[] p = FunctionToApply.SOFTMAX.apply(new float[] {1000f, 1000f});
    assertArrayEquals(new double[] {0.5, 0.5}, p, 1e-12);
  }

  @Test
  void classificationRanksNamesAndCutsToTopK() {
    List<String> names = List.of("NEGATIVE", "POSITIVE", "NEUTRAL");
    Tensor first = Tensor.of(new float[] {0f, 2f, 1f}, 3);

    List<Label> top1 = TextClassification.ranked(first, FunctionToApply.SOFTMAX, TopK.of(1), names);
    assertEquals(List.of("POSITIVE"), top1.stream().map(Label::label).toList());
    assertEquals("NEGATIVE",
        TextClassification.ranked(Tensor.of(new float[] {3f, 0f, 0f}, 3), FunctionToApply.SOFTMAX, TopK.of(1), names)
            .get(0).label());

    List<Label> all = TextClassification.ranked(first, FunctionToApply.SOFTMAX, TopK.ALL, names);
    assertEquals(List.of("POSITIVE", "NEUTRAL", "NEGATIVE"), all.stream().map(Label::label).toList());
    assertEquals(1.0, all.stream().mapToDouble(Label::score).sum(), 1e-9);

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class,
            () -> TextClassification.ranked(first, FunctionToApply.SOFTMAX, TopK.of(1), List.of("A", "B")));
    assertTrue(e.getMessage().contains("2 labels"), e.getMessage());
  }
}
