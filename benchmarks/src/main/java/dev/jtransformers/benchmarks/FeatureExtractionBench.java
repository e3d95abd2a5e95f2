package dev.jtransformers.benchmarks;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.jtransformers.api.BatchEncoding;
import dev.jtransformers.api.EncodeOptions;
import dev.jtransformers.api.Encoding;
import dev.jtransformers.api.Tensor;
import dev.jtransformers.api.TextInput;
import dev.jtransformers.models.ModelConfig;
import dev.jtransformers.models.ModelResolver;
import dev.jtransformers.pipelines.PipelineConfig;
import dev.jtransformers.pipelines.PipelineFactory;
import dev.jtransformers.pipelines.TaskPipeline;
import dev.jtransformers.pipelines.tasks.FeatureExtraction;
import dev.jtransformers.tokenizer.ComposedTokenizer;
import dev.jtransformers.tokenizer.Tokenizers;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.LongBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The feature-extraction pipeline (tokenise, batch, run, mean-pool, normalise) against the engine's floor, a bare
 * ONNX Runtime loop over the same sentences, pre-tokenised and length-sorted, at several batch sizes, on long inputs
 * and at several thread counts. Prints one JSON line per measurement: sentences/s, tokens/s (real tokens, padding
 * not counted) and achieved GFLOP/s ({@link MatrixFlops} of each sentence at its own length, so padding lowers it).
 * The two take turns going first in every round, so a ratio is measured in one run. The pipeline runs as many batches
 * at once as its model chooses ({@code --parallel-batches N} sets it; on ONNX Runtime's CPU the batches share the
 * engine's threads). At more than one thread a third takes its turn too: the pipeline running that many batches side
 * by side, each on one engine thread ({@code parallel_batches} set).
 *
 * <p>{@code --concurrent N} instead runs N pipelines at once on the same cores and reports their total throughput
 * (how the session options hold up on a loaded machine).
 *
 * <p>Usage: {@code FeatureExtractionBench [--shared DIR] [--model ID|DIR] [--threads 1,2] [--batches 1,8,32]
 * [--long-batch 8] [--max-batch-tokens N] [--parallel-batches N] [--per-source 1000] [--rounds 3] [--concurrent N]
 * [--serve] [--backend-option NAME=VALUE]...}:
 * the pipeline cuts batches at its token budget too ({@code --max-batch-tokens}), the bare loop by count only.
 */
public final class FeatureExtractionBench {
  private static final String BARE = "java-ort-loop";
  private static final String PIPELINE = "java-pipeline";
  private static final String PARALLEL = "java-pipeline-parallel";

  private FeatureExtractionBench() {}

  /** One configuration to measure: a name for the report, inputs, and chunks per model call. */
  private record Shape(String name, List<TextInput> inputs, int batchSize) {}

  public static void main(String[] args) throws IOException, OrtException, InterruptedException {
    Arguments a = Arguments.parse(args);
    BenchSentences data = BenchSentences.load(a.shared, a.perSource);
    Path directory = new ModelResolver().resolve(a.model);
    MatrixFlops flops = MatrixFlops.of(ModelConfig.load(directory.resolve(ModelConfig.FILE_NAME)));
    ComposedTokenizer tokenizer = Tokenizers.load(directory);
    List<Shape> shapes = new ArrayList<>();
    for (int batch : a.batches) {
      shapes.add(new Shape("batch " + batch, inputs(data.sentences()), batch));
    }
    shapes.add(new Shape("long, batch " + a.longBatch, inputs(data.longTexts()), a.longBatch));
    System.err.printf("%s: %d sentences, %d long texts; model %s in %s; %d rounds%n", data.source(),
        data.sentences().size(), data.longTexts().size(), a.model, directory, a.rounds);
    if (a.concurrent > 0) {
      for (int threads : a.threads) {
        measureConcurrent(a, threads, shapes, tokenizer, flops);
      }
      return;
    }
    try (Runs runs = new Runs(a, directory, tokenizer, flops)) {
      if (a.serve) {
        serve(runs, shapes);
        return;
      }
      for (int threads : a.threads) {
        for (Shape shape : shapes) {
          List<String> engines = threads == 1 ? List.of(PIPELINE, BARE) : List.of(PIPELINE, BARE, PARALLEL);
          for (String engine : engines) {
            runs.once(engine, threads, shape); // warm-up: JIT, the engine's arenas, caches
          }
          for (int round = 0; round < a.rounds; round++) {
            // Rotate which goes first, so none always runs on a cache or clock another warmed.
            List<String> order = new ArrayList<>(engines);
            Collections.rotate(order, round);
            for (String engine : order) {
              report(engine, threads, shape, round, runs.work(shape), runs.once(engine, threads, shape));
            }
          }
        }
      }
    }
  }

  /**
   * Answers {@code ENGINE THREADS SHAPE} lines from standard input (e.g. {@code java-pipeline 2 batch 32}) with one
   * measurement each, so a driver in another language ({@code benchmarks-py/compare.py}) can interleave its own runs
   * with these, all warm, and the machine's load drifts alike over both.
   */
  private static void serve(Runs runs, List<Shape> shapes) throws IOException {
    BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    System.out.println("{\"ready\": true}");
    System.out.flush();
    for (String line = commands.readLine(); line != null; line = commands.readLine()) {
      String[] words = line.trim().split(" ", 3);
      if (words.length < 3) {
        continue;
      }
      int threads = Integer.parseInt(words[1]);
      Shape shape = shapes.stream().filter(s -> s.name().equals(words[2])).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("no shape '" + words[2] + "'; there are "
              + shapes.stream().map(Shape::name).toList()));
      report(words[0], threads, shape, -1, runs.work(shape), runs.once(words[0], threads, shape));
      System.out.flush();
    }
  }

  /** The pipelines and bare sessions measured, made on first use and kept, so every run after the first is warm. */
  private static final class Runs implements AutoCloseable {
    private final Arguments a;
    private final Path directory;
    private final ComposedTokenizer tokenizer;
    private final MatrixFlops flops;
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final Map<Integer, OrtSession> sessions = new HashMap<>();
    private final Map<String, TaskPipeline<Tensor>> pipelines = new HashMap<>();
    private final Map<String, List<long[][]>> bareBatches = new HashMap<>();
    private final Map<String, Work> work = new HashMap<>();
    /** The pipeline's limit (sentence-transformers' 256 for MiniLM), which the bare loop truncates at too. */
    private final int maxLength;

    Runs(Arguments a, Path directory, ComposedTokenizer tokenizer, MatrixFlops flops) {
      this.a = a;
      this.directory = directory;
      this.tokenizer = tokenizer;
      this.flops = flops;
      try (TaskPipeline<Tensor> probe = PipelineFactory.fromServiceLoader().create(pipelineConfig(a, 1, 1))) {
        this.maxLength = probe.maxLength();
      }
    }

    /** Seconds of one pass of {@code engine} over the shape's inputs. */
    double once(String engine, int threads, Shape shape) {
      String key = threads + "/" + shape.name();
      if (engine.equals(PIPELINE) || engine.equals(PARALLEL)) {
        TaskPipeline<Tensor> pipeline = pipelines.computeIfAbsent(engine + "/" + key,
            k -> PipelineFactory.fromServiceLoader().create(engine.equals(PIPELINE)
                ? pipelineConfig(a, threads, shape.batchSize())
                : pipelineConfig(a, 1, shape.batchSize()).toBuilder().parallelBatches(threads).build()));
        return seconds(() -> pipeline.applyAll(shape.inputs()));
      }
      if (engine.equals(BARE)) {
        OrtSession session = sessions.computeIfAbsent(threads, this::session);
        List<long[][]> batches = bareBatches.computeIfAbsent(
            key, k -> FeatureExtractionBench.bareBatches(tokenizer, shape.inputs(), maxLength, shape.batchSize()));
        return seconds(() -> runBare(env, session, batches));
      }
      throw new IllegalArgumentException(
          "unknown engine " + engine + "; there are " + PIPELINE + ", " + PARALLEL + ", " + BARE);
    }

    Work work(Shape shape) {
      return work.computeIfAbsent(shape.name(), k -> Work.of(tokenizer, shape.inputs(), maxLength, flops));
    }


    private OrtSession session(int threads) {
      try (OrtSession.SessionOptions options = bareOptions(threads)) {
        return env.createSession(directory.resolve("onnx/model.onnx").toString(), options);
      } catch (OrtException e) {
        throw new IllegalStateException("ONNX Runtime cannot load " + directory + ": " + e.getMessage(), e);
      }
    }

    @Override
    public void close() throws OrtException {
      pipelines.values().forEach(TaskPipeline::close);
      for (OrtSession session : sessions.values()) {
        session.close();
      }
    }
  }

  private static PipelineConfig<Tensor> pipelineConfig(Arguments a, int threads, int batchSize) {
    PipelineConfig.Builder<Tensor> config = PipelineConfig.builder(FeatureExtraction.TASK).model(a.model)
        .batchSize(batchSize).maxBatchTokens(a.maxBatchTokens).intraOpThreads(threads).interOpThreads(1);
    if (a.parallelBatches != null) {
      config.parallelBatches(a.parallelBatches);
    }
    a.backendOptions.forEach(config::backendOption);
    return config.build();
  }

  /** N pipelines on the same cores at once, each with {@code threads} threads: their total sentences/s. */
  private static void measureConcurrent(Arguments a, int threads, List<Shape> shapes, ComposedTokenizer tokenizer,
      MatrixFlops flops) throws InterruptedException {
    ExecutorService callers = Executors.newFixedThreadPool(a.concurrent);
    try {
      for (Shape shape : shapes) {
        List<TaskPipeline<Tensor>> pipelines = new ArrayList<>();
        try {
          for (int i = 0; i < a.concurrent; i++) {
            pipelines.add(PipelineFactory.fromServiceLoader().create(pipelineConfig(a, threads, shape.batchSize())));
          }
          Work one = Work.of(tokenizer, shape.inputs(), pipelines.get(0).maxLength(), flops);
          Work all = new Work(one.sentences * a.concurrent, one.tokens * a.concurrent, one.flops * a.concurrent);
          for (int round = -1; round < a.rounds; round++) { // round -1 warms up
            long start = System.nanoTime();
            List<Future<?>> running = new ArrayList<>();
            for (TaskPipeline<Tensor> pipeline : pipelines) {
              running.add(callers.submit(() -> pipeline.applyAll(shape.inputs())));
            }
            for (Future<?> call : running) {
              try {
                call.get();
              } catch (ExecutionException e) {
                throw new IllegalStateException("a concurrent pipeline failed", e.getCause());
              }
            }
            if (round >= 0) {
              report(PIPELINE + " x" + a.concurrent, threads, shape, round, all, (System.nanoTime() - start) / 1e9);
            }
          }
        } finally {
          pipelines.forEach(TaskPipeline::close);
        }
      }
    } finally {
      callers.shutdown();
    }
  }

  /** ONNX Runtime's defaults, as a hand-written loop takes them, but for the thread counts. */
  private static OrtSession.SessionOptions bareOptions(int threads) throws OrtException {
    OrtSession.SessionOptions options = new OrtSession.SessionOptions();
    options.setIntraOpNumThreads(threads);
    options.setInterOpNumThreads(1);
    return options;
  }

  /** What one pass over the inputs computes: sentences, real tokens and matrix FLOPs. */
  private record Work(long sentences, long tokens, double flops) {
    static Work of(ComposedTokenizer tokenizer, List<TextInput> inputs, int maxLength, MatrixFlops flops) {
      long tokens = 0;
      double total = 0;
      for (Encoding encoding : encode(tokenizer, inputs, maxLength)) {
        tokens += encoding.length();
        total += flops.perSequence(encoding.length());
      }
      return new Work(inputs.size(), tokens, total);
    }
  }

  private static void report(String engine, int threads, Shape shape, int round, Work work, double seconds) {
    System.out.printf(Locale.ROOT,
        "{\"engine\": \"%s\", \"threads\": %d, \"shape\": \"%s\", \"round\": %d, \"sentences\": %d, \"tokens\": %d,"
            + " \"seconds\": %.4f, \"sentences_per_s\": %.1f, \"tokens_per_s\": %.0f, \"gflop_per_s\": %.2f}%n",
        engine, threads, shape.name(), round, work.sentences, work.tokens, seconds, work.sentences / seconds,
        work.tokens / seconds, work.flops / seconds / 1e9);
  }

  private static double seconds(Runnable work) {
    long start = System.nanoTime();
    work.run();
    return (System.nanoTime() - start) / 1e9;
  }

  private static List<TextInput> inputs(List<String> texts) {
    return texts.stream().map(TextInput::of).toList();
  }

  private static List<Encoding> encode(ComposedTokenizer tokenizer, List<TextInput> inputs, int maxLength) {
    EncodeOptions truncate =
        EncodeOptions.builder().truncation(EncodeOptions.Truncation.LONGEST_FIRST).maxLength(maxLength).build();
    return inputs.stream().map(input -> tokenizer.encode(input, truncate)).toList();
  }

  /**
   * The bare loop's batches: sorted by token count, cut every {@code batchSize}, each padded to its longest, as flat
   * {@code {ids, mask, types, shape}} arrays.
   */
  private static List<long[][]> bareBatches(
      ComposedTokenizer tokenizer, List<TextInput> inputs, int maxLength, int batchSize) {
    List<Encoding> encodings = new ArrayList<>(encode(tokenizer, inputs, maxLength));
    encodings.sort(Comparator.comparingInt(Encoding::length));
    EncodeOptions pad = EncodeOptions.builder().padding(EncodeOptions.Padding.LONGEST).build();
    List<long[][]> batches = new ArrayList<>();
    for (int start = 0; start < encodings.size(); start += batchSize) {
      BatchEncoding batch = tokenizer.pad(encodings.subList(start, Math.min(start + batchSize, encodings.size())), pad);
      batches.add(new long[][] {flat(batch.inputIds()), flat(batch.attentionMask()), flat(batch.tokenTypeIds()),
          {batch.size(), batch.sequenceLength()}});
    }
    return batches;
  }

  /** Runs every batch from direct buffers and copies out the hidden states only: the engine's floor in Java. */
  private static void runBare(OrtEnvironment env, OrtSession session, List<long[][]> batches) {
    String hidden = session.getOutputNames().iterator().next();
    for (long[][] batch : batches) {
      try (OnnxTensor ids = OnnxTensor.createTensor(env, direct(batch[0]), batch[3]);
          OnnxTensor mask = OnnxTensor.createTensor(env, direct(batch[1]), batch[3]);
          OnnxTensor types = OnnxTensor.createTensor(env, direct(batch[2]), batch[3]);
          OrtSession.Result result = session.run(
              Map.of("input_ids", ids, "attention_mask", mask, "token_type_ids", types), Set.of(hidden))) {
        ((OnnxTensor) result.get(0)).getFloatBuffer();
      } catch (OrtException e) {
        throw new IllegalStateException("ONNX Runtime failed: " + e.getMessage(), e);
      }
    }
  }

  private static LongBuffer direct(long[] values) {
    LongBuffer buffer =
        ByteBuffer.allocateDirect(values.length * Long.BYTES).order(ByteOrder.nativeOrder()).asLongBuffer();
    return buffer.put(values).rewind();
  }

  private static long[] flat(long[][] matrix) {
    return Arrays.stream(matrix).flatMapToLong(Arrays::stream).toArray();
  }

  /** The command line. */
  private static final class Arguments {
    Path shared = Path.of("../shared");
    String model = FeatureExtraction.DEFAULT_MODEL;
    int[] threads = {1, 2};
    int[] batches = {1, 8, 32};
    int longBatch = 8;
    int perSource = BenchSentences.PER_SOURCE;
    int maxBatchTokens = PipelineConfig.DEFAULT_MAX_BATCH_TOKENS;
    /** The pipeline's {@code parallel_batches}; null for the model's choice. */
    Integer parallelBatches;
    int rounds = 3;
    int concurrent;
    boolean serve;
    final Map<String, String> backendOptions = new LinkedHashMap<>();

    static Arguments parse(String[] args) {
      Arguments a = new Arguments();
      for (int i = 0; i < args.length; i += 2) {
        if (args[i].equals("--serve")) {
          a.serve = true;
          i--;
          continue;
        }
        if (i + 1 >= args.length) {
          throw usage("option " + args[i] + " needs a value");
        }
        String value = args[i + 1];
        switch (args[i]) {
          case "--shared" -> a.shared = Path.of(value);
          case "--model" -> a.model = value;
          case "--threads" -> a.threads = numbers(value);
          case "--batches" -> a.batches = numbers(value);
          case "--long-batch" -> a.longBatch = Integer.parseInt(value);
          case "--per-source" -> a.perSource = Integer.parseInt(value);
          case "--max-batch-tokens" -> a.maxBatchTokens = Integer.parseInt(value);
          case "--parallel-batches" -> a.parallelBatches = Integer.parseInt(value);
          case "--rounds" -> a.rounds = Integer.parseInt(value);
          case "--concurrent" -> a.concurrent = Integer.parseInt(value);
          case "--backend-option" -> {
            String[] pair = value.split("=", 2);
            if (pair.length != 2) {
              throw usage("--backend-option takes NAME=VALUE, got " + value);
            }
            a.backendOptions.put(pair[0], pair[1]);
          }
          default -> throw usage("unknown option " + args[i]);
        }
      }
      return a;
    }

    private static int[] numbers(String list) {
      return Arrays.stream(list.split(",")).mapToInt(Integer::parseInt).toArray();
    }

    private static IllegalArgumentException usage(String problem) {
      return new IllegalArgumentException(problem + "; usage: FeatureExtractionBench [--shared DIR] [--model ID|DIR]"
          + " [--threads 1,2] [--batches 1,8,32] [--long-batch 8] [--max-batch-tokens N] [--parallel-batches N]"
          + " [--per-source 1000]"
          + " [--rounds 3] [--concurrent N] [--serve]"
          + " [--backend-option NAME=VALUE]...");
    }
  }
}
