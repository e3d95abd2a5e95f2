package dev.jtransformers.heads.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtransformers.api.Tensor;
import dev.jtransformers.heads.Activation;
import dev.jtransformers.models.Pooling;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeadTrainerTest {
  private static final List<String> THREE = List.of("red", "green", "blue");

  @TempDir Path dir;

  private static TrainingOptions.Builder options(List<String> labels) {
    return TrainingOptions.builder().labels(labels).pooling(Pooling.MEAN, true).maxEpochs(60);
  }

  /** Share of examples whose highest logit is their label. */
  private static double accuracy(TrainedHead head, SyntheticData data) {
    float[][] logits = head.logits(data.features()).toFloatArray2D();
    int correct = 0;
    for (int n = 0; n < logits.length; n++) {
      int best = 0;
      for (int c = 1; c < logits[n].length; c++) {
        best = logits[n][c] > logits[n][best] ? c : best;
      }
      correct += best == data.labels()[n] ? 1 : 0;
    }
    return (double) correct / logits.length;
  }

  @Test
  void softmaxHeadLearnsSeparableClasses() {
    SyntheticData train = SyntheticData.blobs(1, 3, 100, 8, 0.5);
    SyntheticData test = SyntheticData.blobs(1, 3, 50, 8, 0.5); // same centres, new points
    TrainedHead head = HeadTrainer.train(train.features(), train.labels(), options(THREE).build());

    assertEquals(1.0, head.config().validation().accuracy());
    assertEquals(1.0, accuracy(head, test));
    assertEquals(30, head.config().validationExamples());
    assertEquals(270, head.config().trainingExamples());
    assertEquals(8, head.config().inputDim());
    assertEquals(1, head.head().layers().size());
  }

  @Test
  void mlpHeadLearnsWhatNoLinearHeadCan() {
    SyntheticData train = SyntheticData.xor(2, 600, 3);
    SyntheticData test = SyntheticData.xor(3, 400, 3);
    List<String> labels = List.of("same", "different");
    TrainedHead linear = HeadTrainer.train(train.features(), train.labels(), options(labels).build());
    TrainedHead mlp =
        HeadTrainer.train(
            train.features(),
            train.labels(),
            options(labels).mlp(32, Activation.RELU, 0.1).learningRate(3e-3).build());

    assertTrue(accuracy(linear, test) < 0.7, "linear: " + accuracy(linear, test));
    assertTrue(accuracy(mlp, test) > 0.95, "mlp: " + accuracy(mlp, test));
    assertTrue(mlp.config().baseline().sentenceAccuracy() < 0.7, "baseline " + mlp.config().baseline());
    assertTrue(mlp.config().validation().sentenceAccuracy() > 0.95, "mlp " + mlp.config().validation());
    assertEquals(linear.config().validation(), linear.config().baseline(), "a softmax head is its own baseline");
    assertEquals(2, mlp.head().layers().size());
    assertEquals(Activation.RELU, mlp.head().layers().get(0).activation());
  }

  @Test
  void holdsOutWholeGroupsAndScoresTheirSentences() {
    // 30 groups of four rows: a sentence of four tokens and its first three, two and one tokens.
    SyntheticData data = SyntheticData.blobs(9, 3, 40, 6, 0.5);
    List<String> texts = new ArrayList<>();
    for (int row = 0; row < data.labels().length; row++) {
      int group = row / 4;
      texts.add(String.join(" ", List.of("a" + group, "b" + group, "c" + group, "d" + group).subList(0, 4 - row % 4)));
    }
    PhraseGroups groups = PhraseGroups.of(texts);
    TrainedHead head = HeadTrainer.train(data.features(), data.labels(), groups, options(THREE).build());

    assertEquals(12, head.config().validationExamples(), "10% of the rows, in whole groups");
    assertEquals(3, head.config().validationSentences());
    assertEquals(108, head.config().trainingExamples());
    TrainedHead mlp =
        HeadTrainer.train(data.features(), data.labels(), groups, options(THREE).mlp(8, Activation.RELU, 0).build());
    assertEquals(head.config().validation(), mlp.config().baseline(), "the baseline is the softmax head");
    assertRefused(
        "features has 120 rows but its groups are of 3",
        () -> HeadTrainer.train(data.features(), data.labels(), PhraseGroups.independent(3), options(THREE).build()));
  }

  @Test
  void trainingTwiceGivesBitIdenticalHeads() throws IOException {
    SyntheticData data = SyntheticData.blobs(4, 3, 60, 10, 2.0);
    TrainingOptions options = options(THREE).mlp(16, Activation.TANH, 0.2).seed(42).maxEpochs(15).build();
    TrainedHead first = HeadTrainer.train(data.features(), data.labels(), options);
    TrainedHead second = HeadTrainer.train(data.features(), data.labels(), options);

    assertEquals(first.head(), second.head(), "weights compare bit for bit");
    first.save(dir.resolve("first"));
    second.save(dir.resolve("second"));
    for (String file : List.of(TrainedHead.WEIGHTS_FILE, TrainedHead.CONFIG_FILE)) {
      assertEquals(-1L, Files.mismatch(dir.resolve("first").resolve(file), dir.resolve("second").resolve(file)), file);
    }

    TrainedHead reseeded =
        HeadTrainer.train(data.features(), data.labels(), options.toBuilder().seed(43).build());
    assertNotEquals(first.head().layers().get(0).weight(), reseeded.head().layers().get(0).weight());
  }

  @Test
  void stopsEarlyAndReportsTheKeptEpochOnTheGivenValidationSet() {
    // Overlapping classes and a wide hidden layer: the head overfits, and validation stops improving.
    SyntheticData all = SyntheticData.blobs(5, 3, 80, 6, 3.0);
    SyntheticData train = all.rows(0, 120);
    SyntheticData validation = all.rows(120, 240); // same centres, other points
    TrainedHead head =
        HeadTrainer.train(
            train.features(),
            train.labels(),
            validation.features(),
            validation.labels(),
            options(THREE).mlp(64, Activation.RELU, 0).patience(2).maxEpochs(200).build());

    ValidationMetrics metrics = head.config().validation();
    assertTrue(metrics.epochsRun() < 200, "stopped early after " + metrics.epochsRun());
    assertEquals(metrics.epochsRun() - 2, metrics.bestEpoch(), "kept the epoch before two without improvement");
    assertEquals(accuracy(head, validation), metrics.accuracy(), "metrics are of the saved head");
    assertEquals(validation.labels().length, head.config().validationExamples());
    assertEquals(train.labels().length, head.config().trainingExamples());
    assertTrue(metrics.loss() > 0 && metrics.loss() < 1, "loss " + metrics.loss());
  }

  @Test
  void fingerprintsTheTrainingData() {
    SyntheticData data = SyntheticData.blobs(6, 3, 20, 4, 1.0);
    TrainingOptions options = options(THREE).maxEpochs(1).build();
    String fingerprint = HeadTrainer.train(data.features(), data.labels(), options).config().trainingDataSha256();
    assertTrue(fingerprint.matches("[0-9a-f]{64}"), fingerprint);
    data.labels()[0] = (data.labels()[0] + 1) % 3;
    assertNotEquals(fingerprint, HeadTrainer.train(data.features(), data.labels(), options).config().trainingDataSha256());
  }

  @Test
  void trainingWithoutStandardisationAlsoLearns() {
    SyntheticData data = SyntheticData.blobs(7, 3, 60, 5, 0.5);
    TrainedHead head = HeadTrainer.train(data.features(), data.labels(), options(THREE).standardize(false).build());
    assertEquals(1.0, accuracy(head, data));
    assertFalse(head.config().options().standardize());
  }

  @Test
  void refusesMalformedExamples() {
    TrainingOptions options = options(List.of("a", "b")).build();
    float[][] two = {{1, 2}, {3, 4}};
    assertRefused("labels[1] is 2, not a label id of [a, b]", () -> HeadTrainer.train(two, new int[] {0, 2}, options));
    assertRefused("features has 2 rows but labels has 1", () -> HeadTrainer.train(two, new int[] {0}, options));
    assertRefused(
        "features row 1 has 1 values, row 0 has 2",
        () -> HeadTrainer.train(new float[][] {{1, 2}, {3}}, new int[] {0, 1}, options));
    assertRefused(
        "features row 0 column 1 is NaN",
        () -> HeadTrainer.train(new float[][] {{1, Float.NaN}, {3, 4}}, new int[] {0, 1}, options));
    assertRefused(
        "need at least two groups of examples",
        () -> HeadTrainer.train(new float[][] {{1, 2}}, new int[] {0}, options));
    assertRefused(
        "validation vectors have 3 values, training vectors 2",
        () -> HeadTrainer.train(two, new int[] {0, 1}, new float[][] {{1, 2, 3}}, new int[] {0}, options));
  }

  @Test
  void refusesInvalidOptions() {
    assertThrows(NullPointerException.class, () -> TrainingOptions.builder().pooling(Pooling.MEAN, false).build());
    assertRefused("labels: must be distinct", () -> options(List.of("a", "a")).build());
    assertRefused("labels: need at least two", () -> options(List.of("a")).build());
    assertRefused("dropout: must be in [0, 1), got 1.0", () -> options(THREE).mlp(8, Activation.RELU, 1).build());
    assertRefused("hiddenUnits: must be positive, got 0", () -> options(THREE).mlp(0, Activation.RELU, 0).build());
    assertRefused("validationFraction: must be in (0, 1), got 0.0", () -> options(THREE).validationFraction(0).build());
    assertRefused("learningRate: must be positive, got NaN", () -> options(THREE).learningRate(Double.NaN).build());
  }

  @Test
  void theHeadTakesVectorsOfTheTrainedWidthOnly() {
    SyntheticData data = SyntheticData.blobs(8, 3, 10, 4, 1.0);
    TrainedHead head = HeadTrainer.train(data.features(), data.labels(), options(THREE).maxEpochs(1).build());
    assertArrayEquals(new int[] {1, 3}, head.logits(new float[][] {{1, 2, 3, 4}}).shape());
    assertRefused("head takes vectors of 4 values", () -> head.logits(new float[][] {{1, 2, 3}}));
    assertRefused("head takes vectors of 4 values", () -> head.head().logits(Tensor.of(new float[3], 1, 3)));
  }

  private static void assertRefused(String expected, org.junit.jupiter.api.function.Executable action) {
    var e = assertThrows(IllegalArgumentException.class, action);
    assertTrue(e.getMessage().contains(expected), () -> "expected '" + expected + "' in: " + e.getMessage());
  }
}
