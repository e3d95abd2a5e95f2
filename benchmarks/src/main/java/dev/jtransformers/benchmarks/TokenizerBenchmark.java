package dev.jtransformers.benchmarks;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jtransformers.api.BatchEncoding;
import dev.jtransformers.api.EncodeOptions;
import dev.jtransformers.api.EncodeOptions.Padding;
import dev.jtransformers.api.TextInput;
import dev.jtransformers.tokenizer.ComposedTokenizer;
import dev.jtransformers.tokenizer.Tokenizers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * {@link ComposedTokenizer} against Hugging Face's Rust tokenizer through DJL's JNI binding, in one JVM, one
 * thread, same {@code tokenizer.json} and corpus: the ~2,000 varied lines of {@code tokenizer.sample.jsonl} and
 * 3,000 SST-2 sentences from {@code ../shared}. One operation is a pass over the corpus; the {@code tokens}
 * counter gives tokens per second. Run from the repository root:
 *
 * <pre>
 * mvn -B -q -pl benchmarks -am package -Pbenchmarks -DskipTests
 * java -jar benchmarks/target/benchmarks.jar TokenizerBenchmark -wi 2 -i 3 -f 1
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-DOPT_OUT_TRACKING=true", "-DDJL_OFFLINE=true", "-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class TokenizerBenchmark {
  private static final int BATCH_SIZE = 32;
  private static final int SST2_LINES = 3_000;
  private static final EncodeOptions PAD_LONGEST = EncodeOptions.builder().padding(Padding.LONGEST).build();

  private List<String> corpus;
  private List<List<TextInput>> batches;
  private List<String[]> batchArrays;
  private long[] batchTokens;
  private long corpusTokens;
  private ComposedTokenizer ours;
  private HuggingFaceTokenizer rust;
  private HuggingFaceTokenizer rustPadded;

  /** Tokens produced, special tokens included, padding excluded: reported per second. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Tokens {
    public long tokens;
  }

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    Path shared = sharedFolder();
    Path tokenizerJson = shared.resolve("models/minilm-l6-sst2/tokenizer.json");
    corpus = readCorpus(shared);
    ours = Tokenizers.load(tokenizerJson);
    rust = HuggingFaceTokenizer.newInstance(tokenizerJson, Map.of("truncation", "false", "padding", "false"));
    rustPadded = HuggingFaceTokenizer.newInstance(tokenizerJson, Map.of("truncation", "false", "padding", "true"));
    batches = new ArrayList<>();
    batchArrays = new ArrayList<>();
    List<Long> tokensPerBatch = new ArrayList<>();
    for (int from = 0; from < corpus.size(); from += BATCH_SIZE) {
      List<String> lines = corpus.subList(from, Math.min(from + BATCH_SIZE, corpus.size()));
      batches.add(lines.stream().map(TextInput::of).toList());
      batchArrays.add(lines.toArray(String[]::new));
      tokensPerBatch.add(lines.stream().mapToLong(line -> ours.encode(line).length()).sum());
    }
    batchTokens = tokensPerBatch.stream().mapToLong(Long::longValue).toArray();
    corpusTokens = corpus.stream().mapToLong(line -> ours.encode(line).length()).sum();
    System.out.printf("%ncorpus: %d lines, %d tokens, %d batches of %d%n",
        corpus.size(), corpusTokens, batches.size(), BATCH_SIZE);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    rust.close();
    rustPadded.close();
  }

  @Benchmark
  public void encodeJava(Tokens counter, Blackhole sink) {
    for (String line : corpus) {
      sink.consume(ours.encode(line).ids());
    }
    counter.tokens += corpusTokens;
  }

  @Benchmark
  public void encodeRust(Tokens counter, Blackhole sink) {
    for (String line : corpus) {
      sink.consume(rust.encode(line).getIds());
    }
    counter.tokens += corpusTokens;
  }

  @Benchmark
  public void batchJava(Tokens counter, Blackhole sink) {
    for (int b = 0; b < batches.size(); b++) {
      BatchEncoding batch = ours.encodeBatch(batches.get(b), PAD_LONGEST);
      sink.consume(batch.inputIds());
      counter.tokens += batchTokens[b];
    }
  }

  @Benchmark
  public void batchRust(Tokens counter, Blackhole sink) {
    for (int b = 0; b < batchArrays.size(); b++) {
      Encoding[] batch = rustPadded.batchEncode(batchArrays.get(b));
      long[][] ids = new long[batch.length][];
      for (int i = 0; i < batch.length; i++) {
        ids[i] = batch[i].getIds();
      }
      sink.consume(ids);
      counter.tokens += batchTokens[b];
    }
  }

  private static Path sharedFolder() {
    String configured = System.getProperty("jtransformers.shared");
    for (Path candidate : new Path[] {
          configured == null ? null : Path.of(configured), Path.of("..", "shared"), Path.of("..", "..", "shared")}) {
      if (candidate != null && Files.isDirectory(candidate.resolve("reference"))) {
        return candidate;
      }
    }
    throw new IllegalStateException("../shared absent: the benchmark corpus and tokenizer come from the shared "
        + "fixtures; run from the repository root or pass -jvmArgs -Djtransformers.shared=<folder>");
  }

  private static List<String> readCorpus(Path shared) {
    try {
      ObjectMapper json = new ObjectMapper();
      List<String> lines = new ArrayList<>();
      for (String line : Files.readAllLines(shared.resolve("reference/tokenizer.sample.jsonl"), StandardCharsets.UTF_8)) {
        lines.add(json.readTree(line).get("text").asText());
      }
      List<String> sst2 = Files.readAllLines(shared.resolve("data/sst2/train.tsv"), StandardCharsets.UTF_8);
      for (String row : sst2.subList(1, Math.min(sst2.size(), SST2_LINES + 1))) {
        lines.add(row.substring(0, row.lastIndexOf('\t')));
      }
      return lines;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
