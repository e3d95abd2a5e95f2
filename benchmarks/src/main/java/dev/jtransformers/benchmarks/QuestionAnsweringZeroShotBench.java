package dev.jtransformers.benchmarks;

import dev.jtransformers.api.TextInput;
import dev.jtransformers.pipelines.PipelineConfig;
import dev.jtransformers.pipelines.PipelineFactory;
import dev.jtransformers.pipelines.TaskPipeline;
import dev.jtransformers.pipelines.tasks.QuestionAnswering;
import dev.jtransformers.pipelines.tasks.ZeroShotClassification;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Inputs per second of the question-answering and zero-shot-classification pipelines at batch 1 and 32 (chunks per
 * model call), on STS-B sentences: questions over short contexts (3 sentences) and long ones (60 sentences, several
 * windows of 384 tokens), and texts scored against 5 candidate labels (5 pairs each). Each measurement is the best of
 * a few rounds in this JVM, after one warm-up round.
 *
 * <p>Usage: {@code QuestionAnsweringZeroShotBench STS_DEV_CSV QA_MODEL_DIR NLI_MODEL_DIR [ROUNDS]}, e.g. the tiny
 * fixtures {@code ../shared/models/tiny-random-bert-qa} and {@code tiny-random-bert-nli}, or MiniLM-size models made
 * by {@code benchmarks/scripts/make_minilm_size_task_models.py}.
 */
public final class QuestionAnsweringZeroShotBench {
  private static final List<String> LABELS = List.of("music", "sports", "food", "politics", "animals");
  private static final int[] BATCH_SIZES = {1, 32};

  private QuestionAnsweringZeroShotBench() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 3) {
      System.err.println("usage: QuestionAnsweringZeroShotBench STS_DEV_CSV QA_MODEL_DIR NLI_MODEL_DIR [ROUNDS]");
      System.exit(2);
    }
    List<String> sentences = stsSentences(Path.of(args[0]));
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
    System.out.printf("%-26s %-26s %6s %6s %10s%n", "task", "model", "inputs", "batch", "inputs/s");
    var qa = PipelineConfig.builder(QuestionAnswering.TASK).model(args[1]);
    measure("question-answering short", qa, questions(sentences, 256, 3), rounds);
    measure("question-answering long", qa, questions(sentences, 32, 60), rounds);
    var zeroShot =
        PipelineConfig.builder(ZeroShotClassification.TASK)
            .model(args[2])
            .option(ZeroShotClassification.CANDIDATE_LABELS, LABELS);
    List<TextInput> texts = sentences.subList(0, 256).stream().map(TextInput::of).toList();
    measure("zero-shot 5 labels", zeroShot, texts, rounds);
  }

  /** STS-B's sentence pairs (tab-separated, sentences in columns 6 and 7), in file order. */
  private static List<String> stsSentences(Path file) throws IOException {
    List<String> sentences = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      String[] columns = line.split("\t");
      if (columns.length > 6) {
        sentences.add(columns[5]);
        sentences.add(columns[6]);
      }
    }
    return sentences;
  }

  /** {@code count} questions, each a sentence turned into a question over the next {@code contextSentences}. */
  private static List<TextInput> questions(List<String> sentences, int count, int contextSentences) {
    List<TextInput> inputs = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int at = (i * (contextSentences + 1)) % (sentences.size() - contextSentences - 1);
      String question = sentences.get(at).replaceAll("\\.$", "") + "?";
      String context = String.join(" ", sentences.subList(at + 1, at + 1 + contextSentences));
      inputs.add(TextInput.pair(question, context));
    }
    return inputs;
  }

  private static <O> void measure(String what, PipelineConfig.Builder<O> config, List<TextInput> inputs, int rounds) {
    for (int batch : BATCH_SIZES) {
      PipelineConfig<O> batched = config.backend("onnx").batchSize(batch).build();
      try (TaskPipeline<O> pipeline = PipelineFactory.fromServiceLoader().create(batched)) {
        pipeline.applyAll(inputs); // warm-up
        double best = 0;
        for (int r = 0; r < rounds; r++) {
          long start = System.nanoTime();
          pipeline.applyAll(inputs);
          best = Math.max(best, inputs.size() / ((System.nanoTime() - start) / 1e9));
        }
        System.out.printf("%-26s %-26s %6d %6d %10.1f%n", what, Path.of(batched.model().orElseThrow()).getFileName(),
            inputs.size(), batch, best);
      }
    }
  }
}
