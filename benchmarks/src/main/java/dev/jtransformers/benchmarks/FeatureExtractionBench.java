package dev.jtransformers.benchmarks;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.jtransformers.api.BatchEncoding;
import dev.jtransformers.api.EncodeOptions;
import dev.jtransformers.api.Encoding;
import dev.jtransformers.api.Pipeline;
import dev.jtransformers.api.Tensor;
import dev.jtransformers.api.TextInput;
import dev.jtransformers.models.ModelResolver;
import dev.jtransformers.pipelines.PipelineConfig;
import dev.jtransformers.pipelines.PipelineFactory;
import dev.jtransformers.pipelines.tasks.FeatureExtraction;
import dev.jtransformers.tokenizer.ComposedTokenizer;
import dev.jtransformers.tokenizer.Tokenizers;
import java.io.IOException;
import java.nio.LongBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Sentences per second of the default feature-extraction pipeline (all-MiniLM-L6-v2: tokenise, batch, run, pool,
 * normalise) against the engine limit: a bare ONNX Runtime loop over the same batches, tokenised and padded
 * beforehand. Both run in this JVM on the same sentences, batch sizes and session options, in alternating rounds
 * (each going first in every other round), so the ratio is measured in one run. Rounds are long (seconds), so a plain loop suffices; JMH adds nothing here.
 *
 * <p>Usage: {@code FeatureExtractionBench SENTENCES_FILE [ROUNDS] [BATCH_SIZE...]}, one sentence per line.
 */
public final class FeatureExtractionBench {
  private static final String MODEL = FeatureExtraction.DEFAULT_MODEL;

  private FeatureExtractionBench() {}

  public static void main(String[] args) throws IOException, OrtException {
    if (args.length < 1) {
      System.err.println("usage: FeatureExtractionBench SENTENCES_FILE [ROUNDS] [BATCH_SIZE...]");
      System.exit(2);
    }
    List<TextInput> inputs = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8)) {
      if (!line.isBlank()) {
        inputs.add(TextInput.of(line));
      }
    }
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    List<Integer> batchSizes = new ArrayList<>();
    for (int i = 2; i < args.length; i++) {
      batchSizes.add(Integer.parseInt(args[i]));
    }
    if (batchSizes.isEmpty()) {
      batchSizes = List.of(8, 32);
    }
    Path directory = new ModelResolver().resolve(MODEL);
    ComposedTokenizer tokenizer = Tokenizers.load(directory);
    System.out.printf("%d sentences, %d rounds per measurement, model %s%n", inputs.size(), rounds, MODEL);
    try (OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      try (OrtSession session = env.createSession(directory.resolve("onnx/model.onnx").toString(), options)) {
        for (int batchSize : batchSizes) {
          var config =
              PipelineConfig.builder(FeatureExtraction.TASK).model(MODEL).batchSize(batchSize).build();
          try (Pipeline<Tensor> pipeline = PipelineFactory.fromServiceLoader().create(config)) {
            List<EngineBatch> batches = sortedBatches(tokenizer, inputs, batchSize);
            double pipelineSeconds = Double.MAX_VALUE;
            double engineSeconds = Double.MAX_VALUE;
            pipeline.applyAll(inputs); // warm-up
            runEngine(env, session, batches);
            for (int r = 0; r < rounds; r++) {
              // Alternate which goes first, so neither always runs on a cache or clock the other warmed.
              if (r % 2 == 0) {
                pipelineSeconds = Math.min(pipelineSeconds, seconds(() -> pipeline.applyAll(inputs)));
                engineSeconds = Math.min(engineSeconds, seconds(() -> runEngine(env, session, batches)));
              } else {
                engineSeconds = Math.min(engineSeconds, seconds(() -> runEngine(env, session, batches)));
                pipelineSeconds = Math.min(pipelineSeconds, seconds(() -> pipeline.applyAll(inputs)));
              }
            }
            System.out.printf(
                "batch %3d: pipeline %7.1f sentences/s, bare ONNX Runtime %7.1f sentences/s, overhead %+.1f%%%n",
                batchSize,
                inputs.size() / pipelineSeconds,
                inputs.size() / engineSeconds,
                100 * (pipelineSeconds / engineSeconds - 1));
          }
        }
      }
    }
  }

  /** Work to time that may fail the way ONNX Runtime does. */
  private interface Timed {
    void run() throws OrtException;
  }

  private static double seconds(Timed work) throws OrtException {
    long start = System.nanoTime();
    work.run();
    return (System.nanoTime() - start) / 1e9;
  }

  /** A batch ready for the engine: flat {@code [batch, sequence]} id, mask and type matrices. */
  private record EngineBatch(long[] ids, long[] mask, long[] types, long[] shape) {
    static EngineBatch of(BatchEncoding batch) {
      return new EngineBatch(
          flat(batch.inputIds()),
          flat(batch.attentionMask()),
          flat(batch.tokenTypeIds()),
          new long[] {batch.size(), batch.sequenceLength()});
    }
  }

  /** The batches the pipeline forms: inputs sorted by token count, cut, each padded to its longest. */
  private static List<EngineBatch> sortedBatches(
      ComposedTokenizer tokenizer, List<TextInput> inputs, int batchSize) {
    EncodeOptions truncate =
        EncodeOptions.builder().truncation(EncodeOptions.Truncation.LONGEST_FIRST).maxLength(256).build();
    List<Encoding> encodings = new ArrayList<>();
    for (TextInput input : inputs) {
      encodings.add(tokenizer.encode(input, truncate));
    }
    encodings.sort(Comparator.comparingInt(Encoding::length));
    EncodeOptions pad = EncodeOptions.builder().padding(EncodeOptions.Padding.LONGEST).build();
    List<EngineBatch> batches = new ArrayList<>();
    for (int start = 0; start < encodings.size(); start += batchSize) {
      batches.add(
          EngineBatch.of(tokenizer.pad(encodings.subList(start, Math.min(start + batchSize, encodings.size())), pad)));
    }
    return batches;
  }

  /** Runs every batch and reads back the hidden states, as the engine's floor for the same work. */
  private static void runEngine(OrtEnvironment env, OrtSession session, List<EngineBatch> batches)
      throws OrtException {
    for (EngineBatch batch : batches) {
      try (OnnxTensor ids = OnnxTensor.createTensor(env, LongBuffer.wrap(batch.ids()), batch.shape());
          OnnxTensor mask = OnnxTensor.createTensor(env, LongBuffer.wrap(batch.mask()), batch.shape());
          OnnxTensor types = OnnxTensor.createTensor(env, LongBuffer.wrap(batch.types()), batch.shape());
          OrtSession.Result result =
              session.run(Map.of("input_ids", ids, "attention_mask", mask, "token_type_ids", types))) {
        ((OnnxTensor) result.get(0)).getFloatBuffer();
      }
    }
  }

  private static long[] flat(long[][] matrix) {
    int columns = matrix[0].length;
    long[] values = new long[matrix.length * columns];
    for (int r = 0; r < matrix.length; r++) {
      System.arraycopy(matrix[r], 0, values, r * columns, columns);
    }
    return values;
  }
}
