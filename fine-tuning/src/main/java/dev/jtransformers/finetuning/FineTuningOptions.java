package dev.jtransformers.finetuning;

import dev.jtransformers.architectures.LoraConfig;
import dev.jtransformers.models.safetensors.Dtype;
import dev.jtransformers.backend.pytorch.AdamW;
import java.util.Objects;
import java.util.Optional;

/**
 * How to fine-tune: the task, the optimiser and its schedule (AdamW, linear warm-up then linear decay to 0,
 * gradient-norm clipping), batching, validation and early stopping, and LoRA instead of full fine-tuning. Defaults
 * are {@code transformers}' {@code TrainingArguments}' where it has one. Immutable; build with {@link #builder}.
 */
public final class FineTuningOptions {
  private final FineTuningTask task;
  private final int epochs;
  private final double learningRate;
  private final AdamW optimizer;
  private final double warmupRatio;
  private final double maxGradientNorm;
  private final int batchSize;
  private final int maxLength;
  private final long seed;
  private final double validationFraction;
  private final int evaluationSteps;
  private final int patience;
  private final int maxExamples;
  private final boolean groupByLength;
  private final boolean validateSentencesOnly;
  private final int threads;
  private final Optional<LoraConfig> lora;
  private final Dtype adapterDtype;

  private FineTuningOptions(Builder b) {
    this.task = b.task;
    this.epochs = b.epochs;
    this.learningRate = b.learningRate;
    this.optimizer = b.optimizer;
    this.warmupRatio = b.warmupRatio;
    this.maxGradientNorm = b.maxGradientNorm;
    this.batchSize = b.batchSize;
    this.maxLength = b.maxLength;
    this.seed = b.seed;
    this.validationFraction = b.validationFraction;
    this.evaluationSteps = b.evaluationSteps;
    this.patience = b.patience;
    this.maxExamples = b.maxExamples;
    this.groupByLength = b.groupByLength;
    this.validateSentencesOnly = b.validateSentencesOnly;
    this.threads = b.threads;
    this.lora = b.lora;
    this.adapterDtype = b.adapterDtype;
  }

  /** A builder for {@code task}, with the defaults. */
  public static Builder builder(FineTuningTask task) {
    return new Builder(task);
  }

  public FineTuningTask task() {
    return task;
  }

  /** The most passes over the training data; early stopping may end sooner. */
  public int epochs() {
    return epochs;
  }

  /** The peak learning rate, reached after warm-up. */
  public double learningRate() {
    return learningRate;
  }

  public AdamW optimizer() {
    return optimizer;
  }

  /** The share of all steps over which the learning rate rises linearly from 0. */
  public double warmupRatio() {
    return warmupRatio;
  }

  /** The gradients' global L2 norm is clipped to this; 0: no clipping. */
  public double maxGradientNorm() {
    return maxGradientNorm;
  }

  public int batchSize() {
    return batchSize;
  }

  /** Inputs are truncated to this many tokens. */
  public int maxLength() {
    return maxLength;
  }

  /** Seeds the split, the new head, the adapters, the batch order and dropout. */
  public long seed() {
    return seed;
  }

  /** The share of the training data held out (in whole sentence groups) when no validation data is given. */
  public double validationFraction() {
    return validationFraction;
  }

  /** Validate every this many steps as well as after each epoch; 0: after each epoch only. */
  public int evaluationSteps() {
    return evaluationSteps;
  }

  /** Stop after this many validations in a row without improvement. */
  public int patience() {
    return patience;
  }

  /** Train on at most this many examples (a seeded sample of the training split); 0: all. */
  public int maxExamples() {
    return maxExamples;
  }

  /**
   * Whether batches hold examples of similar length ({@code transformers}' {@code group_by_length}): less padding,
   * so faster, at the same expected gradient.
   */
  public boolean groupByLength() {
    return groupByLength;
  }

  /**
   * Whether a split held out of the training data is validated on its sentences alone, not their phrases too: what
   * a whole-sentence test set asks, at a tenth of the cost on SST-2.
   */
  public boolean validateSentencesOnly() {
    return validateSentencesOnly;
  }

  /** libtorch's threads; 0: its default. Results are reproducible for a fixed seed and thread count. */
  public int threads() {
    return threads;
  }

  /** LoRA adapters to train with the base frozen; empty: every weight trains. */
  public Optional<LoraConfig> lora() {
    return lora;
  }

  /**
   * How a LoRA adapter's weights are stored: {@link Dtype#F32} (the default, as trained), or {@link Dtype#F16} /
   * {@link Dtype#BF16} for half the bytes (peft casts them back to the base model's type as it loads them).
   */
  public Dtype adapterDtype() {
    return adapterDtype;
  }

  @Override
  public String toString() {
    return "FineTuningOptions[" + task.pipelineName() + ", epochs " + epochs + ", lr " + learningRate + ", batch "
        + batchSize + ", max length " + maxLength + ", seed " + seed + lora.map(l -> ", " + l).orElse("")
        + (adapterDtype == Dtype.F32 ? "" : ", adapter " + adapterDtype) + "]";
  }

  /** Builds {@link FineTuningOptions}; every setter validates its argument. */
  public static final class Builder {
    private final FineTuningTask task;
    private int epochs = 3;
    private double learningRate = 5e-5;
    private AdamW optimizer = AdamW.DEFAULT;
    private double warmupRatio = 0.06;
    private double maxGradientNorm = 1.0;
    private int batchSize = 32;
    private int maxLength = 128;
    private long seed;
    private double validationFraction = 0.1;
    private int evaluationSteps;
    private int patience = 2;
    private int maxExamples;
    private boolean groupByLength = true;
    private boolean validateSentencesOnly;
    private int threads;
    private Optional<LoraConfig> lora = Optional.empty();
    private Dtype adapterDtype = Dtype.F32;

    private Builder(FineTuningTask task) {
      this.task = Objects.requireNonNull(task, "task");
    }

    public Builder epochs(int epochs) {
      this.epochs = positive("epochs", epochs);
      return this;
    }

    public Builder learningRate(double learningRate) {
      if (!(learningRate > 0)) {
        throw new IllegalArgumentException("learningRate must be positive, got " + learningRate);
      }
      this.learningRate = learningRate;
      return this;
    }

    public Builder optimizer(AdamW optimizer) {
      this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
      return this;
    }

    /** AdamW with {@code transformers}' betas and epsilon and this weight decay. */
    public Builder weightDecay(double weightDecay) {
      this.optimizer = optimizer.withWeightDecay(weightDecay);
      return this;
    }

    public Builder warmupRatio(double warmupRatio) {
      this.warmupRatio = fraction("warmupRatio", warmupRatio);
      return this;
    }

    public Builder maxGradientNorm(double maxGradientNorm) {
      if (!(maxGradientNorm >= 0)) {
        throw new IllegalArgumentException("maxGradientNorm must be >= 0, got " + maxGradientNorm);
      }
      this.maxGradientNorm = maxGradientNorm;
      return this;
    }

    public Builder batchSize(int batchSize) {
      this.batchSize = positive("batchSize", batchSize);
      return this;
    }

    public Builder maxLength(int maxLength) {
      if (maxLength < 3) {
        throw new IllegalArgumentException("maxLength must leave room for a token between [CLS] and [SEP], got "
            + maxLength);
      }
      this.maxLength = maxLength;
      return this;
    }

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    public Builder validationFraction(double validationFraction) {
      if (!(validationFraction > 0 && validationFraction < 1)) {
        throw new IllegalArgumentException("validationFraction must be in (0, 1), got " + validationFraction);
      }
      this.validationFraction = validationFraction;
      return this;
    }

    public Builder evaluationSteps(int steps) {
      if (steps < 0) {
        throw new IllegalArgumentException("evaluationSteps must be >= 0, got " + steps);
      }
      this.evaluationSteps = steps;
      return this;
    }

    public Builder patience(int patience) {
      this.patience = positive("patience", patience);
      return this;
    }

    public Builder maxExamples(int maxExamples) {
      if (maxExamples < 0) {
        throw new IllegalArgumentException("maxExamples must be >= 0, got " + maxExamples);
      }
      this.maxExamples = maxExamples;
      return this;
    }

    public Builder groupByLength(boolean groupByLength) {
      this.groupByLength = groupByLength;
      return this;
    }

    public Builder validateSentencesOnly(boolean sentencesOnly) {
      this.validateSentencesOnly = sentencesOnly;
      return this;
    }

    public Builder threads(int threads) {
      if (threads < 0) {
        throw new IllegalArgumentException("threads must be >= 0, got " + threads);
      }
      this.threads = threads;
      return this;
    }

    public Builder lora(LoraConfig lora) {
      this.lora = Optional.of(Objects.requireNonNull(lora, "lora"));
      return this;
    }

    /** See {@link FineTuningOptions#adapterDtype()}; only with {@link #lora}. */
    public Builder adapterDtype(Dtype adapterDtype) {
      if (!Objects.requireNonNull(adapterDtype, "adapterDtype").isWritableFromFloat()) {
        throw new IllegalArgumentException(
            "an adapter can't be stored as " + adapterDtype + "; use one of " + Dtype.writableFromFloatTypes());
      }
      this.adapterDtype = adapterDtype;
      return this;
    }

    /**
     * The options.
     *
     * @throws IllegalArgumentException if an adapter type other than float32 is set without LoRA
     */
    public FineTuningOptions build() {
      if (adapterDtype != Dtype.F32 && lora.isEmpty()) {
        throw new IllegalArgumentException("an adapter type (" + adapterDtype + ") needs LoRA: set a LoRA rank");
      }
      return new FineTuningOptions(this);
    }

    private static int positive(String name, int value) {
      if (value < 1) {
        throw new IllegalArgumentException(name + " must be at least 1, got " + value);
      }
      return value;
    }

    private static double fraction(String name, double value) {
      if (!(value >= 0 && value < 1)) {
        throw new IllegalArgumentException(name + " must be in [0, 1), got " + value);
      }
      return value;
    }
  }
}
