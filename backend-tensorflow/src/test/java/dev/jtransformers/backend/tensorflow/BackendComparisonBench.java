package dev.jtransformers.backend.tensorflow;

import dev.jtransformers.api.BatchEncoding;
import dev.jtransformers.api.EncodeOptions;
import dev.jtransformers.api.Encoding;
import dev.jtransformers.api.Model;
import dev.jtransformers.api.TextInput;
import dev.jtransformers.backend.onnx.OnnxBackend;
import dev.jtransformers.models.Cache;
import dev.jtransformers.models.ModelConfig;
import dev.jtransformers.spi.Backend;
import dev.jtransformers.spi.LoadRequest;
import dev.jtransformers.spi.ModelFormat;
import dev.jtransformers.tokenizer.ComposedTokenizer;
import dev.jtransformers.tokenizer.Tokenizers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Sentences per second of this backend's built-in graph against ONNX Runtime on the same model, sentences and
 * batches (tokenised, sorted by length and padded beforehand, so only the engines are timed), in alternating rounds,
 * best of each. A main class, not a test: it takes minutes. (The soak of every backend is {@code SoakBench} in the
 * benchmarks module.)
 *
 * <p>Usage: {@code BackendComparisonBench MODEL_DIR SENTENCES_TSV [SENTENCES] [ROUNDS] [BATCH_SIZE]},
 * the sentences in the first column of a TSV with a header (SST-2's {@code train.tsv}); run with {@code
 * TF_CPP_MIN_LOG_LEVEL=1} and the test classpath, e.g. {@code mvn -pl backend-tensorflow -am test-compile} then
 * {@code java -cp "backend-tensorflow/target/test-classes:backend-tensorflow/target/classes:$(cat cp.txt)"} with
 * {@code cp.txt} from {@code dependency:build-classpath -Dmdep.outputFile=cp.txt}.
 */
public final class BackendComparisonBench {
  private BackendComparisonBench() {}

  public static void main(String[] args) throws IOException {
    Path directory = Path.of(args[0]);
    int count = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
    int batchSize = args.length > 4 ? Integer.parseInt(args[4]) : 32;
    List<String> sentences =
        Files.readAllLines(Path.of(args[1]), StandardCharsets.UTF_8).stream()
            .skip(1)
            .map(line -> line.split("\t")[0].trim())
            .limit(count)
            .toList();
    ComposedTokenizer tokenizer = Tokenizers.load(directory);
    List<BatchEncoding> batches = sortedBatches(tokenizer, sentences, batchSize);
    System.out.printf(
        "%s: %d sentences, %d batches of up to %d, best of %d rounds%n",
        directory.getFileName(), sentences.size(), batches.size(), batchSize, rounds);
    try (Model onnx = load(new OnnxBackend(), directory, ModelFormat.ONNX);
        Model tensorflow = load(new TensorFlowBackend(), directory, ModelFormat.SAFETENSORS)) {
      run(onnx, batches); // warm-up: session set-up and first-call costs
      run(tensorflow, batches);
      double onnxSeconds = Double.MAX_VALUE;
      double tensorflowSeconds = Double.MAX_VALUE;
      for (int r = 0; r < rounds; r++) {
        // Alternate which goes first, so neither always runs on a cache or clock the other warmed.
        if (r % 2 == 0) {
          onnxSeconds = Math.min(onnxSeconds, seconds(onnx, batches));
          tensorflowSeconds = Math.min(tensorflowSeconds, seconds(tensorflow, batches));
        } else {
          tensorflowSeconds = Math.min(tensorflowSeconds, seconds(tensorflow, batches));
          onnxSeconds = Math.min(onnxSeconds, seconds(onnx, batches));
        }
      }
      System.out.printf(
          "ONNX Runtime %.1f sentences/s, TensorFlow (built-in graph) %.1f sentences/s: TensorFlow takes %.2fx as"
              + " long%n",
          sentences.size() / onnxSeconds, sentences.size() / tensorflowSeconds, tensorflowSeconds / onnxSeconds);
    }
  }

  private static Model load(Backend backend, Path directory, ModelFormat format) {
    return backend.load(
        LoadRequest.builder(directory, format)
            .config(ModelConfig.load(directory).toMap())
            .cacheDirectory(Cache.atDefaultLocation().root())
            .build());
  }

  private static double seconds(Model model, List<BatchEncoding> batches) {
    long start = System.nanoTime();
    run(model, batches);
    return (System.nanoTime() - start) / 1e9;
  }

  private static void run(Model model, List<BatchEncoding> batches) {
    batches.forEach(model::forward);
  }

  /** Sentences tokenised (at most 128 tokens), sorted by length, cut into batches each padded to its longest. */
  private static List<BatchEncoding> sortedBatches(ComposedTokenizer tokenizer, List<String> sentences, int size) {
    EncodeOptions truncate =
        EncodeOptions.builder().truncation(EncodeOptions.Truncation.LONGEST_FIRST).maxLength(128).build();
    List<Encoding> encodings = new ArrayList<>();
    sentences.forEach(sentence -> encodings.add(tokenizer.encode(TextInput.of(sentence), truncate)));
    encodings.sort(Comparator.comparingInt(Encoding::length));
    EncodeOptions pad = EncodeOptions.builder().padding(EncodeOptions.Padding.LONGEST).build();
    List<BatchEncoding> batches = new ArrayList<>();
    for (int start = 0; start < encodings.size(); start += size) {
      batches.add(tokenizer.pad(encodings.subList(start, Math.min(start + size, encodings.size())), pad));
    }
    return batches;
  }
}
