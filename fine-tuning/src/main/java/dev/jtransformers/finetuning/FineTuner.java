package dev.jtransformers.finetuning;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jtransformers.api.BatchEncoding;
import dev.jtransformers.api.Tensor;
import dev.jtransformers.api.Tokenizer;
import dev.jtransformers.backend.pytorch.TrainableNetwork;
import dev.jtransformers.heads.training.PhraseGroups;
import dev.jtransformers.models.JsonFiles;
import dev.jtransformers.models.safetensors.SafetensorsWriter;
import dev.jtransformers.tokenizer.Tokenizers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;

/**
 * Fine-tunes a BERT or DistilBERT checkpoint on libtorch ({@link TrainableNetwork}) for text or token
 * classification, as {@code transformers}' {@code Trainer} does: AdamW with linear warm-up and linear decay to 0,
 * gradient-norm clipping, dropout, validation after every epoch (and every {@link
 * FineTuningOptions#evaluationSteps} steps), early stopping, and the best validated model written out: a Hugging
 * Face checkpoint ({@code config.json} with {@code id2label}, {@code model.safetensors}, the tokenizer files), or
 * with LoRA a {@code peft} adapter ({@code adapter_config.json}, {@code adapter_model.safetensors}) with the task
 * model's {@code config.json} and the tokenizer files beside it.
 *
 * <p>Without validation data it holds out whole groups of a sentence and its phrases ({@link PhraseGroups}), so no
 * validation example is part of, or contains, a training example; text classification is judged on the held-out
 * sentences. Deterministic for a fixed seed and thread count.
 */
public final class FineTuner {
  /** What the best validation is kept by. */
  private static final Comparator<Evaluation> BETTER =
      Comparator.comparingDouble(Evaluation::score).thenComparing(Comparator.comparingDouble(Evaluation::loss).reversed());

  /** More skipped steps than one in this many: training has diverged. */
  private static final int MOST_SKIPPED_SHARE = 20;

  private static final List<String> TOKENIZER_FILES =
      List.of("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "vocab.txt");

  private FineTuner() {}

  /** Hears how training goes. */
  public interface Progress {
    /** After each optimisation step. */
    void stepped(int step, int totalSteps, double loss, double examplesPerSecond);

    /** After each validation; {@code best} whether it improved on every earlier one (and was saved). */
    void validated(Evaluation evaluation, boolean best);
  }

  /**
   * One validation.
   *
   * @param step the optimisation steps taken
   * @param epoch the passes over the training data taken, fractional mid-epoch
   * @param loss the mean cross-entropy
   * @param accuracy over every validation example (token classification: every labelled token)
   * @param sentenceAccuracy over the validation examples that are sentences; NaN for token classification
   */
  public record Evaluation(int step, double epoch, double loss, double accuracy, double sentenceAccuracy) {
    /** What early stopping compares: sentence accuracy where there is one, else accuracy. */
    public double score() {
      return Double.isNaN(sentenceAccuracy) ? accuracy : sentenceAccuracy;
    }
  }

  /**
   * How a run went.
   *
   * @param best the validation of the model written out
   * @param steps the optimisation steps taken
   * @param skippedSteps of which skipped, their loss or a gradient not finite ({@link TrainableNetwork.Step})
   * @param trainingExamples the examples trained on
   * @param validationExamples the examples validated on
   * @param validationSentences of which sentences (part of no longer example)
   * @param trainingSeconds the wall time of the optimisation steps alone
   * @param examplesPerSecond training throughput: examples stepped over per second of step time
   */
  public record Result(
      Evaluation best,
      int steps,
      int skippedSteps,
      int trainingExamples,
      int validationExamples,
      int validationSentences,
      double trainingSeconds,
      double examplesPerSecond) {}

  /**
   * Fine-tunes the model in {@code modelDirectory} and writes the best validated result to {@code out}.
   *
   * @param modelName the base model's id or directory, recorded in a LoRA adapter's {@code base_model_name_or_path}
   * @param validation validation data; empty: held out of {@code train} in whole sentence groups
   * @param labelNames the labels' names in class-id order (e.g. {@code NEGATIVE, POSITIVE} for labels 0 and 1);
   *     empty: the data's own labels
   * @param cacheDirectory where libtorch is unpacked
   * @throws dev.jtransformers.api.ModelLoadException naming the file, if the model can't be read
   * @throws IllegalArgumentException if the data does not fit the task or the label names
   * @throws UncheckedIOException naming the file, if the output can't be written
   */
  public static Result fineTune(
      Path modelDirectory,
      String modelName,
      Dataset train,
      Optional<Dataset> validation,
      List<String> labelNames,
      FineTuningOptions options,
      Path out,
      Optional<Path> cacheDirectory,
      Progress progress) {
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(progress, "progress");
    FineTuningTask task = options.task();
    for (Dataset data : validation.map(v -> List.of(train, v)).orElse(List.of(train))) {
      if (data.task() != task) {
        throw new IllegalArgumentException("the data is for " + data.task().pipelineName() + ", not " + task.pipelineName());
      }
    }
    List<String> classes = train.labelNames();
    List<String> names = labelNames.isEmpty() ? classes : List.copyOf(labelNames);
    if (names.size() != classes.size()) {
      throw new IllegalArgumentException(names.size() + " label names " + names + " for the data's " + classes.size()
          + " labels " + classes);
    }
    Random random = new Random(options.seed());
    Tokenizer tokenizer = Tokenizers.load(modelDirectory);
    Examples training;
    Examples validating;
    if (validation.isPresent()) {
      training = examples(train, allRows(train), classes, row -> true, tokenizer, options, random);
      Dataset held = validation.get();
      validating = Examples.of(held, allRows(held), classes, sentences(held), tokenizer, options.maxLength());
    } else {
      PhraseGroups groups =
          task == FineTuningTask.TEXT_CLASSIFICATION ? PhraseGroups.of(train.texts()) : PhraseGroups.independent(train.size());
      boolean[] heldOut = groups.holdOut(options.validationFraction(), random);
      int[] kept = IntStream.range(0, train.size()).filter(r -> !heldOut[r]).toArray();
      training = examples(train, kept, classes, groups::isSentence, tokenizer, options, random);
      int[] validated = IntStream.range(0, train.size())
          .filter(r -> heldOut[r] && (!options.validateSentencesOnly() || groups.isSentence(r))).toArray();
      validating = Examples.of(train, validated, classes, groups::isSentence, tokenizer, options.maxLength());
    }
    StartingModel start = StartingModel.open(modelDirectory, task, names, options.seed());
    int stepsPerEpoch = (training.size() + options.batchSize() - 1) / options.batchSize();
    int totalSteps = stepsPerEpoch * options.epochs();
    int warmup = (int) Math.ceil(totalSteps * options.warmupRatio());
    boolean perToken = task == FineTuningTask.TOKEN_CLASSIFICATION;
    try (TrainableNetwork network =
        TrainableNetwork.create(
            start.spec(), start.weights(), options.lora(), options.optimizer(), options.maxGradientNorm(),
            options.seed(), cacheDirectory, options.threads())) {
      Evaluation best = null;
      int sinceBest = 0;
      long stepNanos = 0;
      long stepped = 0;
      int skipped = 0;
      training:
      for (int epoch = 0; epoch < options.epochs(); epoch++) {
        List<int[]> batches = batches(training, options, random);
        for (int[] batch : batches) {
          int step = network.steps() + 1;
          double rate = options.learningRate() * (step <= warmup
              ? (double) step / Math.max(1, warmup)
              : (double) (totalSteps - step + 1) / Math.max(1, totalSteps - warmup));
          long begin = System.nanoTime();
          BatchEncoding encoded = training.encode(batch);
          TrainableNetwork.Step result =
              network.step(encoded, training.batchLabels(batch, encoded.sequenceLength(), perToken), rate);
          stepNanos += System.nanoTime() - begin;
          stepped += batch.length;
          if (result.skipped() && ++skipped > Math.max(1, totalSteps / MOST_SKIPPED_SHARE)) {
            throw new IllegalStateException(skipped + " of " + step + " steps had a loss or gradient that is not"
                + " finite: training diverged; lower --lr");
          }
          progress.stepped(step, totalSteps, result.loss(), stepped / (stepNanos / 1e9));
          boolean epochEnd = batch == batches.get(batches.size() - 1);
          if (epochEnd || (options.evaluationSteps() > 0 && step % options.evaluationSteps() == 0)) {
            Evaluation evaluation = evaluate(network, validating, perToken, step, (double) step / stepsPerEpoch);
            boolean improved = best == null || BETTER.compare(evaluation, best) > 0;
            if (improved) {
              best = evaluation;
              sinceBest = 0;
              save(network, start, modelName, modelDirectory, out, options, evaluation);
            } else {
              sinceBest++;
            }
            progress.validated(evaluation, improved);
            if (sinceBest >= options.patience()) {
              break training;
            }
          }
        }
      }
      int sentences = (int) IntStream.range(0, validating.size()).filter(validating::isSentence).count();
      return new Result(best, network.steps(), skipped, training.size(), validating.size(), sentences,
          stepNanos / 1e9, stepped / (stepNanos / 1e9));
    }
  }

  private static Examples examples(
      Dataset data, int[] rows, List<String> classes, IntPredicate isSentence, Tokenizer tokenizer,
      FineTuningOptions options, Random random) {
    int[] chosen = rows;
    if (options.maxExamples() > 0 && rows.length > options.maxExamples()) {
      chosen = rows.clone();
      shuffle(chosen, random);
      chosen = Arrays.copyOf(chosen, options.maxExamples());
      Arrays.sort(chosen);
    }
    return Examples.of(data, chosen, classes, isSentence, tokenizer, options.maxLength());
  }

  private static int[] allRows(Dataset data) {
    return IntStream.range(0, data.size()).toArray();
  }

  /** Which rows of a validation set are sentences: of text classification, those part of no longer row. */
  private static IntPredicate sentences(Dataset data) {
    return data.task() == FineTuningTask.TEXT_CLASSIFICATION ? PhraseGroups.of(data.texts())::isSentence : row -> true;
  }

  /**
   * An epoch's batches in a seeded order; grouped by length as {@code transformers}' {@code LengthGroupedSampler}
   * does: shuffled, cut into mega-batches of 50 batches, each sorted by length, and the batches shuffled.
   */
  private static List<int[]> batches(Examples examples, FineTuningOptions options, Random random) {
    int[] order = IntStream.range(0, examples.size()).toArray();
    shuffle(order, random);
    int size = options.batchSize();
    if (options.groupByLength()) {
      int mega = size * 50;
      for (int from = 0; from < order.length; from += mega) {
        int to = Math.min(order.length, from + mega);
        int[] part = Arrays.stream(order, from, to).boxed()
            .sorted(Comparator.comparingInt(examples::length).reversed()).mapToInt(Integer::intValue).toArray();
        System.arraycopy(part, 0, order, from, part.length);
      }
    }
    List<int[]> batches = new ArrayList<>();
    for (int from = 0; from < order.length; from += size) {
      batches.add(Arrays.copyOfRange(order, from, Math.min(order.length, from + size)));
    }
    if (options.groupByLength()) {
      int[] shuffled = IntStream.range(0, batches.size()).toArray();
      shuffle(shuffled, random);
      List<int[]> reordered = new ArrayList<>();
      for (int i : shuffled) {
        reordered.add(batches.get(i));
      }
      return reordered;
    }
    return batches;
  }

  /** Loss and accuracies over the validation examples, in batches of similar length. */
  private static Evaluation evaluate(
      TrainableNetwork network, Examples validation, boolean perToken, int step, double epoch) {
    Integer[] byLength = IntStream.range(0, validation.size()).boxed().toArray(Integer[]::new);
    Arrays.sort(byLength, Comparator.comparingInt(validation::length));
    double loss = 0;
    long counted = 0;
    long correct = 0;
    long sentences = 0;
    long sentencesCorrect = 0;
    int batchSize = 64;
    for (int from = 0; from < byLength.length; from += batchSize) {
      int[] batch = Arrays.stream(byLength, from, Math.min(byLength.length, from + batchSize))
          .mapToInt(Integer::intValue).toArray();
      BatchEncoding encoded = validation.encode(batch);
      Tensor logits = network.logits(encoded);
      int[] labels = validation.batchLabels(batch, encoded.sequenceLength(), perToken);
      int classes = logits.dim(logits.rank() - 1);
      float[] values = logits.toFloatArray();
      for (int row = 0; row < labels.length; row++) {
        if (labels[row] == TrainableNetwork.IGNORED_LABEL) {
          continue;
        }
        int offset = row * classes;
        int predicted = 0;
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < classes; c++) {
          if (values[offset + c] > max) {
            max = values[offset + c];
            predicted = c;
          }
        }
        double sum = 0;
        for (int c = 0; c < classes; c++) {
          sum += Math.exp(values[offset + c] - max);
        }
        loss += max + Math.log(sum) - values[offset + labels[row]];
        boolean right = predicted == labels[row];
        counted++;
        correct += right ? 1 : 0;
        if (!perToken && validation.isSentence(batch[row])) {
          sentences++;
          sentencesCorrect += right ? 1 : 0;
        }
      }
    }
    double sentenceAccuracy = perToken || sentences == 0 ? Double.NaN : (double) sentencesCorrect / sentences;
    return new Evaluation(step, epoch, loss / counted, (double) correct / counted, sentenceAccuracy);
  }

  /** Writes the model as it stands to {@code out}. */
  private static void save(
      TrainableNetwork network, StartingModel start, String modelName, Path modelDirectory, Path out,
      FineTuningOptions options, Evaluation evaluation) {
    try {
      Files.createDirectories(out);
      start.config().save(out);
      Optional<dev.jtransformers.architectures.PeftAdapter> adapter = network.adapter(modelName);
      if (adapter.isPresent()) {
        adapter.get().save(out, options.adapterDtype());
      } else {
        Map<String, Tensor> parameters = network.parameters();
        SafetensorsWriter.write(out.resolve("model.safetensors"), parameters, Map.of("format", "pt"));
      }
      copyTokenizerFiles(modelDirectory, out);
      ObjectNode record = JsonFiles.newObject();
      record.put("base_model", modelName);
      record.put("options", options.toString());
      ObjectNode metrics = record.putObject("validation");
      metrics.put("step", evaluation.step());
      metrics.put("epoch", evaluation.epoch());
      metrics.put("loss", evaluation.loss());
      metrics.put("accuracy", evaluation.accuracy());
      if (!Double.isNaN(evaluation.sentenceAccuracy())) {
        metrics.put("sentence_accuracy", evaluation.sentenceAccuracy());
      }
      Files.writeString(out.resolve(FINE_TUNING_FILE), JsonFiles.format(record));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the fine-tuned model to " + out + ": " + e.getMessage(), e);
    }
  }

  /** Copies the tokenizer files a model directory has into {@code out}. */
  static void copyTokenizerFiles(Path modelDirectory, Path out) throws IOException {
    for (String file : TOKENIZER_FILES) {
      Path source = modelDirectory.resolve(file);
      if (Files.isRegularFile(source)) {
        Files.copy(source, out.resolve(file), StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  /** How the model in a directory was fine-tuned: the options and the validation of the saved model. */
  public static final String FINE_TUNING_FILE = "fine_tuning.json";

  /** {@link Collections#shuffle} of the values with {@code random}. */
  private static void shuffle(int[] values, Random random) {
    List<Integer> list = new ArrayList<>(Arrays.stream(values).boxed().toList());
    Collections.shuffle(list, random);
    for (int i = 0; i < values.length; i++) {
      values[i] = list.get(i);
    }
  }
}
