package dev.jtransformers.backend.pytorch;

import dev.jtransformers.api.BatchEncoding;
import dev.jtransformers.api.EncodeOptions;
import dev.jtransformers.api.Model;
import dev.jtransformers.api.TextInput;
import dev.jtransformers.api.Tokenizer;
import dev.jtransformers.backend.onnx.OnnxBackend;
import dev.jtransformers.models.Cache;
import dev.jtransformers.models.ModelConfig;
import dev.jtransformers.spi.Backend;
import dev.jtransformers.spi.LoadRequest;
import dev.jtransformers.spi.ModelFormat;
import dev.jtransformers.tokenizer.Tokenizers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Sentences per second of each source this backend reads against ONNX Runtime, on one model, the same
 * pre-tokenised batches and batch sizes, in one run. (The soak of every backend is {@code SoakBench} in the
 * benchmarks module.)
 *
 * <pre>{@code
 * java [-Dthreads=N] -cp <test classpath> dev.jtransformers.backend.pytorch.PyTorchThroughputBench \
 *     MODEL_DIR SENTENCES.tsv [sentences=1000] [rounds=3] [batch sizes...=8 32]
 * }</pre>
 *
 * The sentences file is read as SST-2's {@code train.tsv}: the text before the first tab of every line after the
 * header. Each round runs every source over all sentences once; the best round counts. {@code -Dthreads=N} gives both engines N threads per operator and one across operators (default:
 * each engine's own choice); on a machine shared with other work, libtorch's default threads wait on each other.
 */
public final class PyTorchThroughputBench {
  /** Threads per operator for both engines, {@code -Dthreads}; 0: each engine's default. */
  private static final int THREADS = Integer.getInteger("threads", 0);

  private PyTorchThroughputBench() {}

  /** One engine reading one format. */
  private record Source(String label, Backend backend, ModelFormat format) {}

  public static void main(String[] args) throws IOException {
    Path directory = Path.of(args[0]);
    int count = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
    List<Integer> batchSizes = new ArrayList<>();
    for (int i = 4; i < args.length; i++) {
      batchSizes.add(Integer.parseInt(args[i]));
    }
    if (batchSizes.isEmpty()) {
      batchSizes = List.of(8, 32);
    }
    List<TextInput> sentences =
        Files.readAllLines(Path.of(args[1])).stream()
            .skip(1)
            .limit(count)
            .map(line -> TextInput.of(line.split("\t")[0]))
            .toList();
    Tokenizer tokenizer = Tokenizers.load(directory);
    EncodeOptions options =
        EncodeOptions.builder()
            .padding(EncodeOptions.Padding.LONGEST)
            .truncation(EncodeOptions.Truncation.LONGEST_FIRST)
            .maxLength(128)
            .build();

    List<Source> sources = new ArrayList<>(List.of(new Source("onnxruntime", new OnnxBackend(), ModelFormat.ONNX)));
    for (ModelFormat format : new PyTorchBackend().modelFormats()) {
      if (format.locate(directory).isPresent()) {
        sources.add(new Source("pytorch/" + format.configName(), new PyTorchBackend(), format));
      }
    }
    List<Model> models = new ArrayList<>();
    for (Source source : sources) {
      long start = System.nanoTime();
      models.add(source.backend().load(request(directory, source.format())));
      System.out.printf("loaded %-22s in %6.0f ms%n", source.label(), (System.nanoTime() - start) / 1e6);
    }
    for (int batchSize : batchSizes) {
      List<BatchEncoding> batches = new ArrayList<>();
      for (int from = 0; from < sentences.size(); from += batchSize) {
        List<TextInput> chunk = sentences.subList(from, Math.min(sentences.size(), from + batchSize));
        batches.add(tokenizer.encodeBatch(chunk, options));
      }
      double[] best = new double[models.size()];
      for (int round = 0; round < rounds; round++) {
        for (int m = 0; m < models.size(); m++) {
          long start = System.nanoTime();
          batches.forEach(models.get(m)::forward);
          best[m] = Math.max(best[m], sentences.size() / ((System.nanoTime() - start) / 1e9));
        }
      }
      for (int m = 0; m < models.size(); m++) {
        System.out.printf(
            "batch %3d  %-22s %8.1f sentences/s  (%.2f x onnxruntime)%n",
            batchSize, sources.get(m).label(), best[m], best[m] / best[0]);
      }
    }
    models.forEach(Model::close);
  }

  private static LoadRequest request(Path directory, ModelFormat format) {
    return LoadRequest.builder(directory, format)
        .config(ModelConfig.load(directory).toMap())
        .cacheDirectory(Cache.atDefaultLocation().root())
        .intraOpThreads(THREADS)
        .interOpThreads(THREADS > 0 ? 1 : 0)
        .build();
  }
}
