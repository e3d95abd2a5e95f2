package dev.jtransformers.heads.training;

import dev.jtransformers.api.Tensor;
import dev.jtransformers.heads.ClassificationHead;
import dev.jtransformers.heads.DenseLayer;
import dev.jtransformers.heads.PoolingHead;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.function.IntFunction;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a classification head on pooled sentence vectors from a frozen encoder: mini-batch Adam on softmax
 * cross-entropy plus L2 weight decay, early stopping on the accuracy on the validation sentences (ties broken by
 * their loss; see {@link PhraseGroups}) with the best epoch's weights restored. Beside every head it trains a
 * softmax head (logistic regression) on the same split with the same options, and reports both, so that a hidden
 * layer has to earn its place.
 *
 * <p>Deterministic: one seeded {@link Random} drives the split, the initial weights, the batch order and dropout,
 * and all arithmetic runs single-threaded in a fixed order, so the same inputs and options give a bit-identical
 * head.
 */
public final class HeadTrainer {
  private static final Logger LOG = LoggerFactory.getLogger(HeadTrainer.class);

  private HeadTrainer() {}

  /**
   * Trains a head on examples that share nothing (each its own sentence), holding out {@link
   * TrainingOptions#validationFraction()} of them, drawn with {@link TrainingOptions#seed()}, for validation.
   *
   * @param features one pooled vector per example, all of one width
   * @param labels the label id of each example, in {@code [0, options.labels().size())}
   * @throws IllegalArgumentException if there are fewer than two examples, or the vectors or labels are malformed
   */
  public static TrainedHead train(float[][] features, int[] labels, TrainingOptions options) {
    Objects.requireNonNull(features, "features");
    return train(features, labels, PhraseGroups.independent(features.length), options);
  }

  /**
   * Trains a head, holding out whole groups of examples, drawn with {@link TrainingOptions#seed()}, until they
   * hold {@link TrainingOptions#validationFraction()} of the examples; no held-out example is part of, or
   * contains, a training example.
   *
   * @param groups which examples are phrases of which sentence
   * @throws IllegalArgumentException if there are fewer than two groups, the groups are of other data, or the
   *     vectors or labels are malformed
   */
  public static TrainedHead train(float[][] features, int[] labels, PhraseGroups groups, TrainingOptions options) {
    Objects.requireNonNull(options, "options");
    checkExamples("features", features, "labels", labels, groups, options);
    Random random = new Random(options.seed());
    boolean[] heldOut = groups.holdOut(options.validationFraction(), random);
    int[] training = IntStream.range(0, features.length).filter(r -> !heldOut[r]).toArray();
    int[] validation = IntStream.range(0, features.length).filter(r -> heldOut[r]).toArray();
    return train(
        new Examples(features, labels, groups, training),
        new Examples(features, labels, groups, validation),
        options,
        random,
        new Fingerprint().add(features, labels).hex());
  }

  /**
   * Trains a head on examples that share nothing with a given validation set.
   *
   * @throws IllegalArgumentException if the vectors or labels are malformed, or the two sets' vectors differ in
   *     width
   */
  public static TrainedHead train(
      float[][] features,
      int[] labels,
      float[][] validationFeatures,
      int[] validationLabels,
      TrainingOptions options) {
    return train(
        features,
        labels,
        validationFeatures,
        validationLabels,
        PhraseGroups.independent(Objects.requireNonNull(validationFeatures, "validationFeatures").length),
        options);
  }

  /**
   * Trains a head with a given validation set, whose sentences (the rows {@code validationGroups} finds part of no
   * longer row) are what sentence accuracy is measured and early stopping decided on.
   *
   * @throws IllegalArgumentException if the vectors or labels are malformed, the groups are of other data, or the
   *     two sets' vectors differ in width
   */
  public static TrainedHead train(
      float[][] features,
      int[] labels,
      float[][] validationFeatures,
      int[] validationLabels,
      PhraseGroups validationGroups,
      TrainingOptions options) {
    Objects.requireNonNull(options, "options");
    PhraseGroups trainingGroups = PhraseGroups.independent(features.length);
    checkExamples("features", features, "labels", labels, trainingGroups, options);
    checkExamples(
        "validationFeatures", validationFeatures, "validationLabels", validationLabels, validationGroups, options);
    if (validationFeatures[0].length != features[0].length) {
      throw new IllegalArgumentException(
          "validation vectors have " + validationFeatures[0].length + " values, training vectors "
              + features[0].length);
    }
    return train(
        new Examples(features, labels, trainingGroups, identity(features.length)),
        new Examples(validationFeatures, validationLabels, validationGroups, identity(validationFeatures.length)),
        options,
        new Random(options.seed()),
        new Fingerprint().add(features, labels).add(validationFeatures, validationLabels).hex());
  }

  /** Some rows of a set of examples. */
  private record Examples(float[][] features, int[] labels, PhraseGroups groups, int[] rows) {
    int size() {
      return rows.length;
    }

    float[] vector(int i) {
      return features[rows[i]];
    }

    int label(int i) {
      return labels[rows[i]];
    }

    boolean isSentence(int i) {
      return groups.isSentence(rows[i]);
    }

    int sentenceCount() {
      return (int) IntStream.range(0, rows.length).filter(this::isSentence).count();
    }
  }

  /** Accuracy and mean cross-entropy over some examples. */
  private record Score(double accuracy, double loss) {
    /** The score of the examples {@code include} accepts. */
    static Score of(Examples examples, IntFunction<double[]> logitsOf, IntPredicate include) {
      int count = 0;
      int correct = 0;
      double loss = 0;
      for (int i = 0; i < examples.size(); i++) {
        if (!include.test(i)) {
          continue;
        }
        double[] logits = logitsOf.apply(i);
        int label = examples.label(i);
        loss += Network.logSumExp(logits) - logits[label];
        int predicted = 0;
        for (int c = 1; c < logits.length; c++) {
          if (logits[c] > logits[predicted]) {
            predicted = c;
          }
        }
        correct += predicted == label ? 1 : 0;
        count++;
      }
      return new Score((double) correct / count, loss / count);
    }

    /** More accurate, or as accurate with a lower loss. */
    boolean isBetterThan(Score other) {
      return accuracy > other.accuracy || (accuracy == other.accuracy && loss < other.loss);
    }
  }

  /** Fits the head the options describe, then (unless it is one) the softmax baseline on the same split. */
  private static TrainedHead train(
      Examples training, Examples validation, TrainingOptions options, Random random, String fingerprint) {
    // Both fits draw from one seed: the baseline is exactly the head a softmax head of these options would be.
    long fitSeed = random.nextLong();
    Fit head = fit(training, validation, options, new Random(fitSeed));
    Fit baseline =
        options.headType() == HeadType.SOFTMAX
            ? head
            : fit(training, validation, options.toBuilder().softmax().build(), new Random(fitSeed));
    LOG.debug("validation: head {}, softmax baseline {}", head.metrics(), baseline.metrics());
    HeadConfig config =
        new HeadConfig(
            options,
            training.vector(0).length,
            fingerprint,
            training.size(),
            validation.size(),
            validation.sentenceCount(),
            head.metrics(),
            baseline.metrics());
    return TrainedHead.of(config, head.layers());
  }

  /** A fitted head's layers and how they did on validation. */
  private record Fit(List<DenseLayer> layers, ValidationMetrics metrics) {}

  /** Trains with early stopping on the validation sentences' score, keeping the best epoch's weights. */
  private static Fit fit(Examples training, Examples validation, TrainingOptions options, Random random) {
    int inputDim = training.vector(0).length;
    Standardizer standardizer =
        options.standardize()
            ? Standardizer.fit(training.features(), training.rows())
            : Standardizer.identity(inputDim);
    Network network = new Network(options.layerWidths(inputDim), options.activation(), options.dropout());
    double[] parameters = network.initialParameters(random);
    double[] best = parameters.clone();
    double[] gradient = new double[network.parameterCount()];
    Adam adam = new Adam(network.parameterCount(), options.learningRate());

    double[][] validationInputs = new double[validation.size()][inputDim];
    for (int i = 0; i < validation.size(); i++) {
      standardizer.apply(validation.vector(i), validationInputs[i]);
    }
    double[][] batch = new double[options.batchSize()][inputDim];
    int[] batchLabels = new int[options.batchSize()];
    int[] order = identity(training.size());
    Score bestScore = null;
    int bestEpoch = 0;
    int epoch = 0;
    int sinceBest = 0;
    while (epoch < options.maxEpochs() && sinceBest < options.patience()) {
      epoch++;
      PhraseGroups.shuffle(order, random);
      double trainingLoss = 0;
      for (int start = 0; start < order.length; start += options.batchSize()) {
        int count = Math.min(options.batchSize(), order.length - start);
        for (int k = 0; k < count; k++) {
          standardizer.apply(training.vector(order[start + k]), batch[k]);
          batchLabels[k] = training.label(order[start + k]);
        }
        trainingLoss +=
            count
                * network.lossAndGradient(
                    parameters, batch, batchLabels, count, options.weightDecay(), random, gradient);
        adam.step(parameters, gradient);
      }
      Score score =
          Score.of(validation, i -> network.logits(parameters, validationInputs[i]), validation::isSentence);
      LOG.debug(
          "{} epoch {}: training loss {}, validation sentence accuracy {}, loss {}",
          options.headType().configName(),
          epoch,
          trainingLoss / order.length,
          score.accuracy(),
          score.loss());
      if (bestScore == null || score.isBetterThan(bestScore)) {
        bestScore = score;
        bestEpoch = epoch;
        System.arraycopy(parameters, 0, best, 0, parameters.length);
        sinceBest = 0;
      } else {
        sinceBest++;
      }
    }

    standardizer.foldIntoFirstLayer(network, best);
    List<DenseLayer> layers = toLayers(network, best, options);
    // Metrics of the saved (float32, folded) head itself, not of the double-precision network it came from.
    ClassificationHead head = new ClassificationHead(new PoolingHead(options.pooling(), options.normalize()), layers);
    float[][] validationVectors = new float[validation.size()][];
    Arrays.setAll(validationVectors, validation::vector);
    float[][] logits = head.logits(Tensor.of(validationVectors)).toFloatArray2D();
    Score rows = Score.of(validation, i -> toDoubles(logits[i]), i -> true);
    Score sentences = Score.of(validation, i -> toDoubles(logits[i]), validation::isSentence);
    return new Fit(
        layers, new ValidationMetrics(rows.accuracy(), rows.loss(), sentences.accuracy(), bestEpoch, epoch));
  }

  private static List<DenseLayer> toLayers(Network network, double[] parameters, TrainingOptions options) {
    List<DenseLayer> layers = new ArrayList<>();
    for (int l = 0; l < network.layerCount(); l++) {
      int inputs = network.inputs(l);
      int outputs = network.outputs(l);
      float[] weight = new float[inputs * outputs];
      float[] bias = new float[outputs];
      for (int i = 0; i < weight.length; i++) {
        weight[i] = (float) parameters[network.weightOffset(l) + i];
      }
      for (int o = 0; o < outputs; o++) {
        bias[o] = (float) parameters[network.biasOffset(l) + o];
      }
      layers.add(
          DenseLayer.of(
              Tensor.wrap(weight, outputs, inputs),
              Tensor.wrap(bias, outputs),
              options.layerActivation(l, network.layerCount())));
    }
    return layers;
  }

  private static void checkExamples(
      String featuresName,
      float[][] features,
      String labelsName,
      int[] labels,
      PhraseGroups groups,
      TrainingOptions options) {
    Objects.requireNonNull(features, featuresName);
    Objects.requireNonNull(labels, labelsName);
    Objects.requireNonNull(groups, "groups");
    if (groups.size() != features.length) {
      throw new IllegalArgumentException(
          featuresName + " has " + features.length + " rows but its groups are of " + groups.size());
    }
    if (features.length == 0) {
      throw new IllegalArgumentException(featuresName + " is empty");
    }
    if (labels.length != features.length) {
      throw new IllegalArgumentException(
          featuresName + " has " + features.length + " rows but " + labelsName + " has " + labels.length);
    }
    int width = features[0].length;
    if (width == 0) {
      throw new IllegalArgumentException(featuresName + " has rows of no values");
    }
    int classes = options.labels().size();
    for (int r = 0; r < features.length; r++) {
      if (features[r].length != width) {
        throw new IllegalArgumentException(
            featuresName + " row " + r + " has " + features[r].length + " values, row 0 has " + width);
      }
      for (int c = 0; c < width; c++) {
        if (!Float.isFinite(features[r][c])) {
          throw new IllegalArgumentException(featuresName + " row " + r + " column " + c + " is " + features[r][c]);
        }
      }
      if (labels[r] < 0 || labels[r] >= classes) {
        throw new IllegalArgumentException(
            labelsName + "[" + r + "] is " + labels[r] + ", not a label id of " + options.labels());
      }
    }
  }

  /** SHA-256 over the row counts, vector bits and labels of the examples, in order. */
  private static final class Fingerprint {
    private final MessageDigest digest;

    Fingerprint() {
      try {
        digest = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every Java platform has SHA-256", e);
      }
    }

    Fingerprint add(float[][] features, int[] labels) {
      ByteBuffer number = ByteBuffer.allocate(Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN);
      digest.update(number.putInt(features.length).flip());
      for (float[] vector : features) {
        ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(vector);
        digest.update(bytes);
      }
      for (int label : labels) {
        digest.update(number.clear().putInt(label).flip());
      }
      return this;
    }

    String hex() {
      return HexFormat.of().formatHex(digest.digest());
    }
  }

  private static int[] identity(int n) {
    int[] indices = new int[n];
    Arrays.setAll(indices, i -> i);
    return indices;
  }

  private static double[] toDoubles(float[] values) {
    double[] doubles = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      doubles[i] = values[i];
    }
    return doubles;
  }
}
