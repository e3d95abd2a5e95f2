package dev.jtransformers.cli;

import dev.jtransformers.architectures.LoraConfig;
import dev.jtransformers.finetuning.Dataset;
import dev.jtransformers.finetuning.FineTuner;
import dev.jtransformers.finetuning.FineTuningOptions;
import dev.jtransformers.finetuning.FineTuningTask;
import dev.jtransformers.finetuning.TaggedData;
import dev.jtransformers.models.ModelResolver;
import dev.jtransformers.models.safetensors.Dtype;
import dev.jtransformers.pipelines.LabelledData;
import dev.jtransformers.spi.ModelFormat;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code fine-tune}: trains a BERT or DistilBERT model (every weight, or LoRA adapters) on labelled data. */
@Command(
    name = "fine-tune",
    mixinStandardHelpOptions = true,
    description =
        "Fine-tunes a BERT or DistilBERT model on libtorch and writes a Hugging Face checkpoint to --out"
            + " (config.json, model.safetensors, tokenizer files), or with --lora-rank a PEFT adapter"
            + " (adapter_config.json, adapter_model.safetensors). Text classification reads TSV (text, label[,"
            + " text_pair]) or JSON Lines; token classification JSON Lines {\"tokens\": [...], \"tags\": [...]}.")
final class FineTuneCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--model", required = true, description = "The model to start from: an id or a directory.")
  String model;

  @Option(names = "--train", required = true, description = "Labelled training data.")
  Path train;

  @Option(names = "--validation",
      description = "Labelled validation data; without it --validation-split of --train is held out, in whole groups"
          + " of a sentence and its phrases.")
  Path validation;

  @Option(names = "--validation-split", defaultValue = "0.1", description = "Default: ${DEFAULT-VALUE}.")
  double validationSplit;

  @Option(names = "--task", defaultValue = "text-classification",
      description = "text-classification or token-classification (default: ${DEFAULT-VALUE}).")
  String task;

  @Option(names = "--label-names", split = ",",
      description = "Names for the data's labels in order (e.g. NEGATIVE,POSITIVE for 0,1).")
  List<String> labelNames = List.of();

  @Option(names = "--epochs", defaultValue = "3", description = "Most epochs (default: ${DEFAULT-VALUE}).")
  int epochs;

  @Option(names = "--lr", defaultValue = "5e-5", description = "Peak learning rate (default: ${DEFAULT-VALUE}).")
  double learningRate;

  @Option(names = "--weight-decay", defaultValue = "0.01", description = "AdamW's (default: ${DEFAULT-VALUE}).")
  double weightDecay;

  @Option(names = "--warmup-ratio", defaultValue = "0.06", description = "Default: ${DEFAULT-VALUE}.")
  double warmupRatio;

  @Option(names = "--max-grad-norm", defaultValue = "1.0", description = "0: no clipping (default: ${DEFAULT-VALUE}).")
  double maxGradNorm;

  @Option(names = "--batch-size", defaultValue = "32", description = "Default: ${DEFAULT-VALUE}.")
  int batchSize;

  @Option(names = "--max-length", defaultValue = "128", description = "Truncate to this many tokens (default:"
      + " ${DEFAULT-VALUE}).")
  int maxLength;

  @Option(names = "--max-examples", defaultValue = "0",
      description = "Train on a seeded sample of at most this many examples; 0: all.")
  int maxExamples;

  @Option(names = "--eval-steps", defaultValue = "0", description = "Also validate every N steps; 0: each epoch only.")
  int evalSteps;

  @Option(names = "--patience", defaultValue = "2",
      description = "Stop after this many validations without improvement (default: ${DEFAULT-VALUE}).")
  int patience;

  @Option(names = "--validate-sentences-only",
      description = "Validate a split held out of --train on its sentences alone, not their phrases.")
  boolean validateSentencesOnly;

  @Option(names = "--no-group-by-length", description = "Batch in plain random order (more padding, slower).")
  boolean noGroupByLength;

  @Option(names = "--seed", defaultValue = "0", description = "Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(names = "--threads", defaultValue = "0", description = "libtorch threads; 0: its default.")
  int threads;

  @Option(names = "--lora-rank", defaultValue = "0", description = "Train LoRA adapters of this rank; 0: every weight.")
  int loraRank;

  @Option(names = "--lora-alpha", defaultValue = "16", description = "Default: ${DEFAULT-VALUE}.")
  double loraAlpha;

  @Option(names = "--lora-dropout", defaultValue = "0.1", description = "Default: ${DEFAULT-VALUE}.")
  double loraDropout;

  @Option(names = "--lora-targets", split = ",", defaultValue = "query,value",
      description = "Linear layers to adapt, by module name (default: ${DEFAULT-VALUE}).")
  List<String> loraTargets;

  @Option(names = "--lora-modules-to-save", split = ",", defaultValue = "classifier",
      description = "Modules trained in full beside the adapters (default: ${DEFAULT-VALUE}).")
  List<String> modulesToSave;

  @Option(names = "--adapter-dtype", defaultValue = "F32",
      description = "How LoRA weights are stored: F32 (default), F16 or BF16 (half the bytes).")
  Dtype adapterDtype;

  @Option(names = "--out", required = true, description = "Directory to write the model to.")
  Path out;

  @Option(names = "--force", description = "Overwrite a model already in --out.")
  boolean force;

  @Override
  public Integer call() throws IOException {
    if (!force && Files.isDirectory(out)) {
      try (var entries = Files.list(out)) {
        if (entries.findAny().isPresent()) {
          throw new ParameterException(spec.commandLine(), "--out " + out + " is not empty; pass --force to overwrite");
        }
      }
    }
    FineTuningTask fineTuningTask;
    FineTuningOptions options;
    try {
      fineTuningTask = FineTuningTask.of(task);
      FineTuningOptions.Builder builder =
          FineTuningOptions.builder(fineTuningTask)
              .epochs(epochs)
              .learningRate(learningRate)
              .weightDecay(weightDecay)
              .warmupRatio(warmupRatio)
              .maxGradientNorm(maxGradNorm)
              .batchSize(batchSize)
              .maxLength(maxLength)
              .maxExamples(maxExamples)
              .evaluationSteps(evalSteps)
              .patience(patience)
              .groupByLength(!noGroupByLength)
              .validateSentencesOnly(validateSentencesOnly)
              .validationFraction(validationSplit)
              .seed(seed)
              .threads(threads)
              .adapterDtype(adapterDtype);
      if (loraRank > 0) {
        builder.lora(new LoraConfig(loraRank, loraAlpha, loraDropout, loraTargets, modulesToSave));
      }
      options = builder.build();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    Dataset trainData = read(fineTuningTask, train);
    Optional<Dataset> validationData = Optional.ofNullable(validation).map(file -> read(fineTuningTask, file));
    ModelResolver resolver = new ModelResolver();
    Path directory = resolver.resolve(model, List.of(ModelFormat.SAFETENSORS, ModelFormat.ONNX)).directory();
    PrintWriter console = spec.commandLine().getOut();
    FineTuner.Result result;
    try (ProgressBar bar =
        new ProgressBarBuilder().setTaskName("fine-tuning").setInitialMax(1).setStyle(ProgressBarStyle.ASCII)
            .setUpdateIntervalMillis(1000).build()) {
      result =
          FineTuner.fineTune(
              directory, model, trainData, validationData, labelNames, options, out,
              Optional.of(resolver.cache().root()),
              new FineTuner.Progress() {
                @Override
                public void stepped(int step, int totalSteps, double loss, double examplesPerSecond) {
                  bar.maxHint(totalSteps);
                  bar.stepTo(step);
                  bar.setExtraMessage(String.format(" loss %.4f, %.1f examples/s", loss, examplesPerSecond));
                }

                @Override
                public void validated(FineTuner.Evaluation evaluation, boolean best) {
                  console.println(describe(evaluation) + (best ? " (best: saved)" : ""));
                  console.flush();
                }
              });
    }
    console.printf(
        "Fine-tuned on %d examples in %d steps (%d skipped; %.0f s of steps, %.1f examples/s); validated on %d, of"
            + " which %d sentences.%nBest: %s%nSaved to %s%n",
        result.trainingExamples(), result.steps(), result.skippedSteps(), result.trainingSeconds(),
        result.examplesPerSecond(),
        result.validationExamples(), result.validationSentences(), describe(result.best()), out);
    console.flush();
    return 0;
  }

  private static String describe(FineTuner.Evaluation evaluation) {
    String sentences = Double.isNaN(evaluation.sentenceAccuracy())
        ? ""
        : String.format(", sentence accuracy %.4f", evaluation.sentenceAccuracy());
    return String.format("step %d (epoch %.2f): validation loss %.4f, accuracy %.4f%s", evaluation.step(),
        evaluation.epoch(), evaluation.loss(), evaluation.accuracy(), sentences);
  }

  private static Dataset read(FineTuningTask task, Path file) {
    return task == FineTuningTask.TEXT_CLASSIFICATION ? Dataset.of(LabelledData.load(file)) : Dataset.of(TaggedData.load(file));
  }
}
