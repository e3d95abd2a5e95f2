package dev.jtransformers.cli;

import dev.jtransformers.heads.Activation;
import dev.jtransformers.heads.training.HeadConfig;
import dev.jtransformers.heads.training.TrainedHead;
import dev.jtransformers.heads.training.TrainingOptions;
import dev.jtransformers.heads.training.ValidationMetrics;
import dev.jtransformers.models.Pooling;
import dev.jtransformers.pipelines.FeatureCache;
import dev.jtransformers.pipelines.HeadTraining;
import dev.jtransformers.pipelines.LabelledData;
import dev.jtransformers.pipelines.PipelineFactory;
import dev.jtransformers.pipelines.tasks.FeatureExtraction;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code train-head}: fits a classification head on a frozen encoder's pooled vectors and saves it. */
@Command(
    name = "train-head",
    mixinStandardHelpOptions = true,
    description =
        "Trains a classification head on a frozen encoder and writes it to --out (head_config.json +"
            + " head.safetensors), for 'pipeline text-classification --model ID|DIR --head DIR'. Labelled data:"
            + " TSV with a header (text, label[, text_pair]) or JSON Lines ({\"text\", \"label\"[,"
            + " \"text_pair\"]}).")
final class TrainHeadCommand implements Callable<Integer> {

  /** The head's shape. */
  enum HeadShape {
    softmax,
    mlp
  }

  @Spec CommandSpec spec;

  @Option(names = "--model", defaultValue = FeatureExtraction.DEFAULT_MODEL,
      description = "The encoder: a model id or directory (default: ${DEFAULT-VALUE}).")
  String model;

  @Option(names = "--train", required = true, description = "Labelled training data (.tsv or .jsonl).")
  Path train;

  @ArgGroup(exclusive = true)
  Validation validation = new Validation();

  /** A validation file, or a share of the training data. */
  static final class Validation {
    @Option(names = "--validation", description = "Labelled validation data.")
    Path file;

    @Option(names = "--validation-split", defaultValue = "0.1",
        description = "Share of --train held out for validation, in whole groups of a sentence and every phrase of it"
            + " (default: ${DEFAULT-VALUE}).")
    double split = 0.1;
  }

  @Option(names = "--head", defaultValue = "mlp", description = "softmax or mlp (default: ${DEFAULT-VALUE}).")
  HeadShape head;

  @Option(names = "--hidden-units", defaultValue = "256", description = "Width of the MLP's hidden layer.")
  int hiddenUnits;

  @Option(names = "--dropout", defaultValue = "0.1", description = "MLP dropout while training.")
  double dropout;

  @Option(names = "--pooling", defaultValue = "mean", description = "mean, cls or max.")
  String pooling;

  @Option(names = "--no-normalize", description = "Do not L2-normalise the pooled vectors.")
  boolean noNormalize;

  @Option(names = "--label-names", split = ",",
      description = "Names for the data's labels in order (e.g. NEGATIVE,POSITIVE for 0,1).")
  List<String> labelNames;

  @Option(names = "--weight-decay", defaultValue = "1e-4",
      description = "L2 penalty on the weights (default: ${DEFAULT-VALUE}).")
  double weightDecay;

  @Option(names = "--epochs", defaultValue = "100", description = "Most epochs (early stopping ends sooner).")
  int epochs;

  @Option(names = "--seed", defaultValue = "0", description = "Seed for the split, initialisation and shuffling.")
  long seed;

  @Option(names = "--out", required = true, description = "Directory to write the head to.")
  Path out;

  @Option(names = "--force", description = "Overwrite a head already in --out.")
  boolean force;

  /** Fewer validation sentences than this make the reported accuracy too rough to trust, which the summary says. */
  private static final int FEW_VALIDATION_ROWS = 50;

  @Override
  public Integer call() throws IOException {
    if (!force && Files.isDirectory(out)) {
      try (var entries = Files.list(out)) {
        if (entries.findAny().isPresent()) {
          throw new ParameterException(spec.commandLine(), "--out " + out + " is not empty; pass --force to overwrite"
              + " the head there");
        }
      }
    }
    LabelledData trainData = LabelledData.load(train);
    LabelledData validationData = validation.file == null ? null : LabelledData.load(validation.file);
    TrainingOptions.Builder options =
        TrainingOptions.builder()
            .labels(labelNames == null ? trainData.labelNames() : labelNames)
            .pooling(Pooling.fromConfigName(pooling), !noNormalize)
            .weightDecay(weightDecay)
            .maxEpochs(epochs)
            .validationFraction(validation.split)
            .seed(seed);
    if (head == HeadShape.mlp) {
      options.mlp(hiddenUnits, Activation.RELU, dropout);
    } else {
      options.softmax();
    }
    int total = trainData.inputs().size() + (validationData == null ? 0 : validationData.inputs().size());
    TrainedHead trained;
    try (ProgressBar progress =
        new ProgressBarBuilder().setTaskName("embedding").setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
            .build()) {
      trained =
          new HeadTraining(PipelineFactory.fromServiceLoader(), FeatureCache.atDefaultLocation())
              .train(model, trainData, validationData, options.build(), progress::stepBy);
    }
    trained.save(out);
    HeadConfig config = trained.config();
    PrintWriter console = spec.commandLine().getOut();
    console.printf(
        "Trained a %s head on %d examples; validated on %d, of which %d sentences (examples part of no longer one):%n",
        config.options().headType().configName(), config.trainingExamples(), config.validationExamples(),
        config.validationSentences());
    printMetrics(console, config.options().headType().configName(), config.validation());
    printMetrics(console, "softmax baseline", config.baseline());
    console.printf("Saved to %s%n", out);
    console.flush();
    if (config.validationSentences() < FEW_VALIDATION_ROWS) {
      spec.commandLine().getErr().printf("warning: validation on only %d sentences: the accuracy says little; give"
          + " more data, a larger --validation-split, or a --validation file%n", config.validationSentences());
    }
    return 0;
  }

  private static void printMetrics(PrintWriter console, String name, ValidationMetrics metrics) {
    console.printf(
        "  %-16s sentence accuracy %.4f, accuracy %.4f, loss %.4f (best epoch %d of %d)%n",
        name, metrics.sentenceAccuracy(), metrics.accuracy(), metrics.loss(), metrics.bestEpoch(),
        metrics.epochsRun());
  }
}
