package dev.jtransformers.benchmarks;

import dev.jtransformers.api.Label;
import dev.jtransformers.api.Tensor;
import dev.jtransformers.api.TextInput;
import dev.jtransformers.pipelines.PipelineConfig;
import dev.jtransformers.pipelines.PipelineFactory;
import dev.jtransformers.pipelines.TaskPipeline;
import dev.jtransformers.pipelines.tasks.FeatureExtraction;
import dev.jtransformers.pipelines.tasks.TextClassification;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What an int8 encoder (the shipped {@code all-minilm-l6-v2-q}, or a directory the {@code onnx_int8} exporter wrote)
 * costs in quality and gains in speed against the fp32 one, on
 * the same inputs in one run: the cosine between their embeddings of every STS-B dev sentence, each one's STS-B dev
 * cosine Spearman, how often the default sentiment pipeline (the SST-2 head) gives the same label on 1,000 SST-2
 * sentences with either encoder, and feature-extraction sentences/s at batch 32 (median of alternating rounds).
 *
 * <p>Usage: {@code QuantizedQualityBench [SHARED_DIR] [ROUNDS] [THREADS] [INT8_MODEL]}; {@code SHARED_DIR} defaults
 * to {@code ../shared}, which must hold {@code data/stsbenchmark} and {@code data/sst2}; {@code INT8_MODEL} to
 * {@code all-minilm-l6-v2-q}.
 */
public final class QuantizedQualityBench {
  private static final String FP32 = FeatureExtraction.DEFAULT_MODEL;
  private static final String SHIPPED_INT8 = "all-minilm-l6-v2-q";

  private QuantizedQualityBench() {}

  /** STS-B dev: sentence pairs and their gold similarity. */
  private record Pairs(List<TextInput> first, List<TextInput> second, double[] gold) {}

  public static void main(String[] args) throws IOException {
    Path shared = Path.of(args.length > 0 ? args[0] : "../shared");
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    int threads = args.length > 2 ? Integer.parseInt(args[2]) : 1;
    String int8 = args.length > 3 ? args[3] : SHIPPED_INT8;
    Pairs sts = stsDev(shared.resolve("data/stsbenchmark/sts-dev.csv"));
    List<TextInput> sentences = BenchSentences.load(shared).sentences().stream().map(TextInput::of).toList();
    try (TaskPipeline<Tensor> full = embedder(FP32, threads); TaskPipeline<Tensor> quantised = embedder(int8, threads)) {
      List<Tensor> fullFirst = full.applyAll(sts.first());
      List<Tensor> fullSecond = full.applyAll(sts.second());
      List<Tensor> quantFirst = quantised.applyAll(sts.first());
      List<Tensor> quantSecond = quantised.applyAll(sts.second());
      double[] agreement = new double[2 * fullFirst.size()];
      for (int i = 0; i < fullFirst.size(); i++) {
        agreement[2 * i] = cosine(fullFirst.get(i), quantFirst.get(i));
        agreement[2 * i + 1] = cosine(fullSecond.get(i), quantSecond.get(i));
      }
      System.out.printf(Locale.ROOT,
          "embedding cosine int8 vs fp32 over %d STS-B dev sentences: mean %.5f, min %.5f, %d below 0.99%n",
          agreement.length, Arrays.stream(agreement).average().orElseThrow(),
          Arrays.stream(agreement).min().orElseThrow(), Arrays.stream(agreement).filter(c -> c < 0.99).count());
      System.out.printf(Locale.ROOT, "STS-B dev cosine Spearman: fp32 %.4f, int8 %.4f%n",
          spearman(similarities(fullFirst, fullSecond), sts.gold()),
          spearman(similarities(quantFirst, quantSecond), sts.gold()));

      double[] fullSeconds = new double[rounds];
      double[] quantSeconds = new double[rounds];
      full.applyAll(sentences); // warm-up
      quantised.applyAll(sentences);
      for (int r = 0; r < rounds; r++) {
        if (r % 2 == 0) {
          fullSeconds[r] = seconds(full, sentences);
          quantSeconds[r] = seconds(quantised, sentences);
        } else {
          quantSeconds[r] = seconds(quantised, sentences);
          fullSeconds[r] = seconds(full, sentences);
        }
      }
      double fullRate = sentences.size() / median(fullSeconds);
      double quantRate = sentences.size() / median(quantSeconds);
      System.out.printf(Locale.ROOT, "feature-extraction, batch 32, %d thread(s), median of %d alternating rounds: fp32"
          + " %.1f sentences/s, int8 %.1f sentences/s (%.2fx)%n", threads, rounds, fullRate, quantRate,
          quantRate / fullRate);
    }
    List<TextInput> sst2 = BenchSentences.load(shared).sentences().subList(BenchSentences.PER_SOURCE,
        2 * BenchSentences.PER_SOURCE).stream().map(TextInput::of).toList();
    System.out.printf(Locale.ROOT, "SST-2 head: the same label for %.1f%% of %d SST-2 sentences%n",
        100 * labelAgreement(sst2, threads, int8), sst2.size());
  }

  private static TaskPipeline<Tensor> embedder(String model, int threads) {
    return PipelineFactory.fromServiceLoader().create(
        PipelineConfig.builder(FeatureExtraction.TASK).model(model).intraOpThreads(threads).build());
  }

  /**
   * The share of texts the embedded SST-2 head labels alike on the fp32 and the int8 encoder (the default sentiment
   * model's LoRA adapter merges into float initializers, which an int8 graph no longer has).
   */
  private static double labelAgreement(List<TextInput> texts, int threads, String int8) {
    var head = new PipelineConfig.HeadSpec("trained", Map.of("path", TextClassification.DEFAULT_HEAD));
    var config = PipelineConfig.builder(TextClassification.TASK).intraOpThreads(threads).head(head);
    List<List<Label>> full;
    List<List<Label>> quantised;
    try (TaskPipeline<List<Label>> pipeline = PipelineFactory.fromServiceLoader().create(config.model(FP32).build())) {
      full = pipeline.applyAll(texts);
    }
    try (TaskPipeline<List<Label>> pipeline =
        PipelineFactory.fromServiceLoader().create(config.model(int8).head(head).build())) {
      quantised = pipeline.applyAll(texts);
    }
    int same = 0;
    for (int i = 0; i < texts.size(); i++) {
      if (full.get(i).get(0).label().equals(quantised.get(i).get(0).label())) {
        same++;
      }
    }
    return (double) same / texts.size();
  }

  private static double seconds(TaskPipeline<Tensor> pipeline, List<TextInput> inputs) {
    long start = System.nanoTime();
    pipeline.applyAll(inputs);
    return (System.nanoTime() - start) / 1e9;
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private static Pairs stsDev(Path file) throws IOException {
    List<TextInput> first = new ArrayList<>();
    List<TextInput> second = new ArrayList<>();
    List<Double> gold = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      String[] columns = line.split("\t"); // tabs only: the text is not quoted
      if (columns.length > 6) {
        gold.add(Double.parseDouble(columns[4]));
        first.add(TextInput.of(columns[5]));
        second.add(TextInput.of(columns[6]));
      }
    }
    return new Pairs(first, second, gold.stream().mapToDouble(Double::doubleValue).toArray());
  }

  private static double[] similarities(List<Tensor> a, List<Tensor> b) {
    double[] similarities = new double[a.size()];
    for (int i = 0; i < similarities.length; i++) {
      similarities[i] = cosine(a.get(i), b.get(i));
    }
    return similarities;
  }

  private static double cosine(Tensor a, Tensor b) {
    float[] x = a.toFloatArray();
    float[] y = b.toFloatArray();
    double dot = 0;
    double nx = 0;
    double ny = 0;
    for (int i = 0; i < x.length; i++) {
      dot += x[i] * y[i];
      nx += x[i] * x[i];
      ny += y[i] * y[i];
    }
    return dot / Math.sqrt(nx * ny);
  }

  /** Spearman's rank correlation: Pearson's over ranks, ties sharing their mean rank. */
  private static double spearman(double[] a, double[] b) {
    return pearson(ranks(a), ranks(b));
  }

  private static double[] ranks(double[] values) {
    Integer[] order = new Integer[values.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (i, j) -> Double.compare(values[i], values[j]));
    double[] ranks = new double[values.length];
    for (int start = 0; start < order.length; ) {
      int end = start;
      while (end + 1 < order.length && values[order[end + 1]] == values[order[start]]) {
        end++;
      }
      double rank = (start + end) / 2.0 + 1;
      for (int k = start; k <= end; k++) {
        ranks[order[k]] = rank;
      }
      start = end + 1;
    }
    return ranks;
  }

  private static double pearson(double[] a, double[] b) {
    double meanA = Arrays.stream(a).average().orElseThrow();
    double meanB = Arrays.stream(b).average().orElseThrow();
    double cov = 0;
    double varA = 0;
    double varB = 0;
    for (int i = 0; i < a.length; i++) {
      cov += (a[i] - meanA) * (b[i] - meanB);
      varA += (a[i] - meanA) * (a[i] - meanA);
      varB += (b[i] - meanB) * (b[i] - meanB);
    }
    return cov / Math.sqrt(varA * varB);
  }
}
