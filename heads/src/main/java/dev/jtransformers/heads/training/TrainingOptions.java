package dev.jtransformers.heads.training;

import dev.jtransformers.heads.Activation;
import dev.jtransformers.models.Pooling;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * What {@link HeadTrainer} trains and how: the head's shape, its labels, how its input vectors were pooled, and
 * the optimiser's hyper-parameters. Immutable; saved with the head in {@code head_config.json}.
 *
 * <p>Defaults: softmax head, Adam with learning rate {@code 1e-3}, L2 weight decay {@code 1e-4}, batches of 32, at
 * most 100 epochs, early stopping after 5 epochs without improvement, 10% of the examples held out for validation
 * (in whole {@link PhraseGroups groups}) when no validation set is given, features standardised, seed 0.
 */
public final class TrainingOptions {
  private final HeadType headType;
  private final int hiddenUnits;
  private final Activation activation;
  private final double dropout;
  private final List<String> labels;
  private final Pooling pooling;
  private final boolean normalize;
  private final double learningRate;
  private final double weightDecay;
  private final int batchSize;
  private final int maxEpochs;
  private final int patience;
  private final double validationFraction;
  private final long seed;
  private final boolean standardize;

  private TrainingOptions(Builder b) {
    this.headType = b.headType;
    this.hiddenUnits = b.hiddenUnits;
    this.activation = b.activation;
    this.dropout = b.dropout;
    this.labels = b.labels;
    this.pooling = b.pooling;
    this.normalize = b.normalize;
    this.learningRate = b.learningRate;
    this.weightDecay = b.weightDecay;
    this.batchSize = b.batchSize;
    this.maxEpochs = b.maxEpochs;
    this.patience = b.patience;
    this.validationFraction = b.validationFraction;
    this.seed = b.seed;
    this.standardize = b.standardize;
  }

  public static Builder builder() {
    return new Builder();
  }

  public HeadType headType() {
    return headType;
  }

  /** Width of the hidden layer; 0 for a softmax head. */
  public int hiddenUnits() {
    return hiddenUnits;
  }

  /** The hidden layer's activation; {@link Activation#IDENTITY} for a softmax head. */
  public Activation activation() {
    return activation;
  }

  /** Probability of dropping a hidden unit while training; 0 for a softmax head. */
  public double dropout() {
    return dropout;
  }

  /** The label names; label {@code i} of the training data is {@code labels().get(i)}. */
  public List<String> labels() {
    return labels;
  }

  /** How the encoder's token states were pooled into the training vectors; the trained head pools the same way. */
  public Pooling pooling() {
    return pooling;
  }

  /** Whether the training vectors were L2-normalised after pooling. */
  public boolean normalize() {
    return normalize;
  }

  public double learningRate() {
    return learningRate;
  }

  /** The L2 penalty {@code weightDecay / 2 * ||W||^2} on the weights (not the biases), added to the loss. */
  public double weightDecay() {
    return weightDecay;
  }

  public int batchSize() {
    return batchSize;
  }

  public int maxEpochs() {
    return maxEpochs;
  }

  /** Epochs without a better validation result (accuracy on the validation sentences) before training stops. */
  public int patience() {
    return patience;
  }

  /**
   * Share of the examples held out for validation when no validation set is given: whole groups of a sentence and
   * its phrases are drawn until they hold this share.
   */
  public double validationFraction() {
    return validationFraction;
  }

  /** Seeds the validation split, the initial weights, the batch order and dropout. */
  public long seed() {
    return seed;
  }

  /**
   * Whether each input dimension is scaled to zero mean and unit variance (over the training split) while
   * training; the scaling is folded into the first layer of the trained head, which therefore takes raw vectors.
   */
  public boolean standardize() {
    return standardize;
  }

  /** The widths of the head's layers, input first: {@code [inputs, labels]} or {@code [inputs, hidden, labels]}. */
  int[] layerWidths(int inputs) {
    return headType == HeadType.SOFTMAX
        ? new int[] {inputs, labels.size()}
        : new int[] {inputs, hiddenUnits, labels.size()};
  }

  /** The activation after layer {@code layer}: the hidden activation, except after the last (logits) layer. */
  Activation layerActivation(int layer, int layerCount) {
    return layer < layerCount - 1 ? activation : Activation.IDENTITY;
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.headType = headType;
    b.hiddenUnits = hiddenUnits;
    b.activation = activation;
    b.dropout = dropout;
    b.labels = labels;
    b.pooling = pooling;
    b.normalize = normalize;
    b.learningRate = learningRate;
    b.weightDecay = weightDecay;
    b.batchSize = batchSize;
    b.maxEpochs = maxEpochs;
    b.patience = patience;
    b.validationFraction = validationFraction;
    b.seed = seed;
    b.standardize = standardize;
    return b;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TrainingOptions t
        && headType == t.headType
        && hiddenUnits == t.hiddenUnits
        && activation == t.activation
        && Double.compare(dropout, t.dropout) == 0
        && labels.equals(t.labels)
        && pooling == t.pooling
        && normalize == t.normalize
        && Double.compare(learningRate, t.learningRate) == 0
        && Double.compare(weightDecay, t.weightDecay) == 0
        && batchSize == t.batchSize
        && maxEpochs == t.maxEpochs
        && patience == t.patience
        && Double.compare(validationFraction, t.validationFraction) == 0
        && seed == t.seed
        && standardize == t.standardize;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        headType, hiddenUnits, activation, dropout, labels, pooling, normalize, learningRate, weightDecay,
        batchSize, maxEpochs, patience, validationFraction, seed, standardize);
  }

  @Override
  public String toString() {
    return "TrainingOptions[" + headType.configName()
        + (headType == HeadType.MLP ? " " + hiddenUnits + " " + activation.configName() + " dropout " + dropout : "")
        + ", labels " + labels + ", " + pooling.configName() + (normalize ? " normalized" : "")
        + ", lr " + learningRate + ", weight decay " + weightDecay + ", batch " + batchSize
        + ", epochs <= " + maxEpochs + ", patience " + patience + ", validation " + validationFraction
        + ", seed " + seed + (standardize ? ", standardized" : "") + "]";
  }

  /** Builds {@link TrainingOptions}; {@link #labels} and {@link #pooling} are required. */
  public static final class Builder {
    private HeadType headType = HeadType.SOFTMAX;
    private int hiddenUnits;
    private Activation activation = Activation.IDENTITY;
    private double dropout;
    private List<String> labels;
    private Pooling pooling;
    private boolean normalize;
    private double learningRate = 1e-3;
    private double weightDecay = 1e-4;
    private int batchSize = 32;
    private int maxEpochs = 100;
    private int patience = 5;
    private double validationFraction = 0.1;
    private long seed;
    private boolean standardize = true;

    private Builder() {}

    /** A softmax head (the default). */
    public Builder softmax() {
      headType = HeadType.SOFTMAX;
      hiddenUnits = 0;
      activation = Activation.IDENTITY;
      dropout = 0;
      return this;
    }

    /**
     * A head with one hidden layer.
     *
     * @param hiddenUnits its width, e.g. 256
     * @param activation its activation, e.g. {@link Activation#RELU}
     * @param dropout probability of dropping a hidden unit while training, in {@code [0, 1)}
     */
    public Builder mlp(int hiddenUnits, Activation activation, double dropout) {
      headType = HeadType.MLP;
      this.hiddenUnits = hiddenUnits;
      this.activation = Objects.requireNonNull(activation, "activation");
      this.dropout = dropout;
      return this;
    }

    /** Required: the label names, by label id (at least two, distinct). */
    public Builder labels(List<String> labels) {
      this.labels = List.copyOf(labels);
      return this;
    }

    /** Required: how the training vectors were pooled from the encoder's token states. */
    public Builder pooling(Pooling pooling, boolean normalize) {
      this.pooling = Objects.requireNonNull(pooling, "pooling");
      this.normalize = normalize;
      return this;
    }

    public Builder learningRate(double learningRate) {
      this.learningRate = learningRate;
      return this;
    }

    public Builder weightDecay(double weightDecay) {
      this.weightDecay = weightDecay;
      return this;
    }

    public Builder batchSize(int batchSize) {
      this.batchSize = batchSize;
      return this;
    }

    public Builder maxEpochs(int maxEpochs) {
      this.maxEpochs = maxEpochs;
      return this;
    }

    public Builder patience(int patience) {
      this.patience = patience;
      return this;
    }

    public Builder validationFraction(double validationFraction) {
      this.validationFraction = validationFraction;
      return this;
    }

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    public Builder standardize(boolean standardize) {
      this.standardize = standardize;
      return this;
    }

    /**
     * @throws IllegalArgumentException naming the option, if one is missing or out of range
     * @throws NullPointerException if labels or pooling were not set
     */
    public TrainingOptions build() {
      Objects.requireNonNull(labels, "labels");
      Objects.requireNonNull(pooling, "pooling");
      require(labels.size() >= 2, "labels: need at least two, got " + labels);
      require(new HashSet<>(labels).size() == labels.size(), "labels: must be distinct, got " + labels);
      if (headType == HeadType.MLP) {
        require(hiddenUnits > 0, "hiddenUnits: must be positive, got " + hiddenUnits);
        require(dropout >= 0 && dropout < 1, "dropout: must be in [0, 1), got " + dropout);
      }
      require(learningRate > 0 && Double.isFinite(learningRate), "learningRate: must be positive, got " + learningRate);
      require(weightDecay >= 0 && Double.isFinite(weightDecay), "weightDecay: must be >= 0, got " + weightDecay);
      require(batchSize > 0, "batchSize: must be positive, got " + batchSize);
      require(maxEpochs > 0, "maxEpochs: must be positive, got " + maxEpochs);
      require(patience > 0, "patience: must be positive, got " + patience);
      require(
          validationFraction > 0 && validationFraction < 1,
          "validationFraction: must be in (0, 1), got " + validationFraction);
      return new TrainingOptions(this);
    }

    private static void require(boolean condition, String message) {
      if (!condition) {
        throw new IllegalArgumentException(message);
      }
    }
  }
}
