package dev.jtransformers.benchmarks;

import dev.jtransformers.api.TextInput;
import dev.jtransformers.pipelines.PipelineConfig;
import dev.jtransformers.pipelines.PipelineFactory;
import dev.jtransformers.pipelines.TaskPipeline;
import dev.jtransformers.pipelines.tasks.AggregationStrategy;
import dev.jtransformers.pipelines.tasks.FillMask;
import dev.jtransformers.pipelines.tasks.TokenClassification;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Inputs per second of the token-classification ({@code aggregation_strategy=simple}) and fill-mask pipelines on the
 * tiny random task models, at batch 1 and 32, on short sentences (STS-B dev, about 12 tokens) and on MiniLM-size
 * inputs (sentences joined to about 128 tokens, the length all-MiniLM-L6-v2 pipelines typically run). Best of the
 * rounds; one JVM, the ONNX backend.
 *
 * <p>Usage: {@code TokenTasksBench SHARED_DIR [ROUNDS] [INPUTS]}, {@code SHARED_DIR} being {@code ../shared}.
 */
public final class TokenTasksBench {
  /** Tokens a MiniLM-size input has, about. */
  private static final int LONG_WORDS = 100;

  private TokenTasksBench() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      System.err.println("usage: TokenTasksBench SHARED_DIR [ROUNDS] [INPUTS]");
      System.exit(2);
    }
    Path shared = Path.of(args[0]);
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    int count = args.length > 2 ? Integer.parseInt(args[2]) : 256;
    List<String> sentences = stsSentences(shared.resolve("data/stsbenchmark/sts-dev.csv"), count);
    List<String> longTexts = joined(sentences, LONG_WORDS, count / 4);
    System.out.printf("%d short sentences, %d MiniLM-size inputs (about 128 tokens), best of %d rounds%n",
        sentences.size(), longTexts.size(), rounds);
    for (String family : List.of("bert", "distilbert")) {
      Path ner = shared.resolve("models/tiny-random-" + family + "-ner");
      Path mlm = shared.resolve("models/tiny-random-" + family + "-mlm");
      var tokens = PipelineConfig.builder(TokenClassification.TASK).model(ner.toString()).backend("onnx")
          .option(TokenClassification.AGGREGATION_STRATEGY, AggregationStrategy.SIMPLE);
      var masks = PipelineConfig.builder(FillMask.TASK).model(mlm.toString()).backend("onnx");
      for (int batch : new int[] {1, 32}) {
        report(ner.getFileName() + " token-classification", tokens.batchSize(batch).build(), batch, rounds,
            inputs(sentences, false), inputs(longTexts, false));
        report(mlm.getFileName() + " fill-mask", masks.batchSize(batch).build(), batch, rounds,
            inputs(sentences, true), inputs(longTexts, true));
      }
    }
  }

  private static <O> void report(String name, PipelineConfig<O> config, int batch, int rounds, List<TextInput> shortTexts,
      List<TextInput> longTexts) {
    try (TaskPipeline<O> pipeline = PipelineFactory.fromServiceLoader().create(config)) {
      System.out.printf("%-45s batch %2d: short %8.1f inputs/s, MiniLM-size %7.1f inputs/s%n", name, batch,
          perSecond(pipeline, shortTexts, rounds), perSecond(pipeline, longTexts, rounds));
    }
  }

  private static double perSecond(TaskPipeline<?> pipeline, List<TextInput> inputs, int rounds) {
    pipeline.applyAll(inputs); // warm-up
    double best = Double.MAX_VALUE;
    for (int r = 0; r < rounds; r++) {
      long start = System.nanoTime();
      pipeline.applyAll(inputs);
      best = Math.min(best, (System.nanoTime() - start) / 1e9);
    }
    return inputs.size() / best;
  }

  /** The texts, with the middle word masked for fill-mask. */
  private static List<TextInput> inputs(List<String> texts, boolean masked) {
    List<TextInput> inputs = new ArrayList<>(texts.size());
    for (String text : texts) {
      if (masked) {
        String[] words = text.split(" ");
        words[words.length / 2] = "[MASK]";
        text = String.join(" ", words);
      }
      inputs.add(TextInput.of(text));
    }
    return inputs;
  }

  static List<String> stsSentences(Path file, int count) throws IOException {
    List<String> sentences = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      String[] columns = line.split("\t");
      if (columns.length > 5 && sentences.size() < count) {
        sentences.add(columns[5]);
      }
    }
    return sentences;
  }

  /** Sentences joined into texts of about {@code words} words each. */
  private static List<String> joined(List<String> sentences, int words, int count) {
    List<String> texts = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    for (int i = 0; texts.size() < count; i = (i + 1) % sentences.size()) {
      text.append(sentences.get(i)).append(' ');
      if (text.toString().split(" ").length >= words) {
        texts.add(text.toString().trim());
        text.setLength(0);
      }
    }
    return texts;
  }
}
