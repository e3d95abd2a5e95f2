package dev.jtransformers.finetuning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jtransformers.api.BatchEncoding;
import dev.jtransformers.api.EncodeOptions;
import dev.jtransformers.api.Model;
import dev.jtransformers.api.Tensor;
import dev.jtransformers.api.TextInput;
import dev.jtransformers.architectures.LoraConfig;
import dev.jtransformers.architectures.PeftAdapter;
import dev.jtransformers.backend.onnx.OnnxBackend;
import dev.jtransformers.backend.pytorch.PyTorchBackend;
import dev.jtransformers.backend.tensorflow.TensorFlowBackend;
import dev.jtransformers.heads.AdapterClassificationHeadFactory;
import dev.jtransformers.models.Cache;
import dev.jtransformers.models.ModelConfig;
import dev.jtransformers.models.safetensors.Dtype;
import dev.jtransformers.models.safetensors.SafetensorsFile;
import dev.jtransformers.pipelines.LabelledData;
import dev.jtransformers.spi.Backend;
import dev.jtransformers.spi.Head;
import dev.jtransformers.spi.HeadContext;
import dev.jtransformers.spi.LoadRequest;
import dev.jtransformers.spi.ModelFormat;
import dev.jtransformers.tokenizer.Tokenizers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Fine-tuning tiny-random-bert and tiny-random-distilbert end to end: the model written out, reloaded by the backends
 * (and, for an adapter, merged as it loads on ONNX Runtime, libtorch and TensorFlow), computes exactly the validation
 * loss the trainer measured on it; the same seed writes the same adapter.
 */
class FineTunerTest {
  private static final Optional<Path> CACHE = Optional.of(Cache.atDefaultLocation().root());
  private static final List<String> LABELS = List.of("NEGATIVE", "POSITIVE");
  private static final String[] GOOD = {"a good film", "truly wonderful", "great acting", "i loved it", "superb"};
  private static final String[] BAD = {"a bad film", "truly awful", "poor acting", "i hated it", "dreadful"};

  @TempDir Path temporary;

  @ParameterizedTest
  @ValueSource(strings = {"tiny-random-bert", "tiny-random-distilbert"})
  void aFineTunedCheckpointReloadsWithTheLogitsItWasValidatedWith(String name) throws IOException {
    Path model = model(name);
    Path out = temporary.resolve("full");
    FineTuner.Result result = fineTune(model, out, FineTuningOptions.builder(FineTuningTask.TEXT_CLASSIFICATION));

    assertEquals(LABELS, ModelConfig.load(out).labels());
    try (Model reloaded = new PyTorchBackend().load(request(out, ModelFormat.SAFETENSORS))) {
      Tensor logits = reloaded.forward(validationBatch(out)).get("logits");
      assertEquals(result.best().loss(), loss(logits), 1e-6, "validation loss of the reloaded checkpoint");
    }
  }

  @Test
  void anAdapterMergedAsItLoadsGivesTheLogitsItWasValidatedWith() throws IOException {
    Path model = model("tiny-random-bert");
    Path out = temporary.resolve("lora");
    LoraConfig lora = new LoraConfig(4, 8, 0.1, List.of("query", "value", "dense"), List.of("classifier"));
    FineTuner.Result result =
        fineTune(model, out, FineTuningOptions.builder(FineTuningTask.TEXT_CLASSIFICATION).lora(lora));

    assertTrue(PeftAdapter.isAdapter(out));
    Head head =
        new AdapterClassificationHeadFactory().create(new HeadContext(model, Map.of("path", out.toString())));
    assertEquals(LABELS, head.labels());
    // ONNX Runtime overrides the graph's initializers; libtorch and TensorFlow build the network on merged weights.
    Map<Backend, ModelFormat> backends = Map.of(new OnnxBackend(), ModelFormat.ONNX, new PyTorchBackend(),
        ModelFormat.SAFETENSORS, new TensorFlowBackend(), ModelFormat.SAFETENSORS);
    for (Map.Entry<Backend, ModelFormat> entry : backends.entrySet()) {
      Backend backend = entry.getKey();
      LoadRequest request =
          LoadRequest.builder(model, entry.getValue())
              .config(ModelConfig.load(model).toMap())
              .intraOpThreads(1)
              .cacheDirectory(CACHE.orElseThrow())
              .adapter(out)
              .build();
      try (Model merged = backend.load(request)) {
        BatchEncoding batch = validationBatch(model);
        double loss = loss(head.apply(merged.forward(batch), batch));
        assertEquals(result.best().loss(), loss, 1e-5, backend.name() + ": validation loss with the adapter merged");
      }
    }

    Path again = temporary.resolve("lora-again");
    fineTune(model, again, FineTuningOptions.builder(FineTuningTask.TEXT_CLASSIFICATION).lora(lora));
    assertArrayEquals(
        Files.readAllBytes(out.resolve(PeftAdapter.WEIGHTS_FILE)),
        Files.readAllBytes(again.resolve(PeftAdapter.WEIGHTS_FILE)),
        "the same seed trains the same adapter");

    Path half = temporary.resolve("lora-f16");
    fineTune(model, half, FineTuningOptions.builder(FineTuningTask.TEXT_CLASSIFICATION).lora(lora)
        .adapterDtype(Dtype.F16));
    try (SafetensorsFile full = SafetensorsFile.open(out.resolve(PeftAdapter.WEIGHTS_FILE));
        SafetensorsFile halved = SafetensorsFile.open(half.resolve(PeftAdapter.WEIGHTS_FILE))) {
      assertEquals(full.names(), halved.names());
      for (String name : full.names()) {
        assertEquals(Dtype.F16, halved.dtype(name), name);
        float[] trained = full.getFloat(name).toFloatArray();
        float[] stored = halved.getFloat(name).toFloatArray();
        for (int i = 0; i < trained.length; i++) {
          // The same training, rounded to the nearest half: within half a unit in the last of its 11 bits.
          assertEquals(trained[i], stored[i], Math.max(Math.ulp(trained[i]) * (1 << 12), 0x1p-25f), name);
        }
      }
    }
  }

  @Test
  void aNarrowAdapterTypeNeedsAnAdapter() {
    FineTuningOptions.Builder full =
        FineTuningOptions.builder(FineTuningTask.TEXT_CLASSIFICATION).adapterDtype(Dtype.BF16);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, full::build);
    assertTrue(e.getMessage().contains("LoRA"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> FineTuningOptions.builder(FineTuningTask.TEXT_CLASSIFICATION).adapterDtype(Dtype.I8));
  }

  private FineTuner.Result fineTune(Path model, Path out, FineTuningOptions.Builder options) throws IOException {
    Path train = write("train.tsv", 4);
    Path validation = write("validation.tsv", 1);
    return FineTuner.fineTune(
        model, model.toString(), Dataset.of(LabelledData.load(train)),
        Optional.of(Dataset.of(LabelledData.load(validation))), LABELS,
        options.epochs(2).batchSize(8).learningRate(1e-2).threads(1).seed(3).build(), out, CACHE,
        new FineTuner.Progress() {
          @Override
          public void stepped(int step, int totalSteps, double loss, double examplesPerSecond) {}

          @Override
          public void validated(FineTuner.Evaluation evaluation, boolean best) {}
        });
  }

  /** Labelled phrases, {@code copies} variants of each. */
  private Path write(String name, int copies) throws IOException {
    List<String> lines = new ArrayList<>(List.of("text\tlabel"));
    for (int copy = 0; copy < copies; copy++) {
      String suffix = copy == 0 ? "" : " " + "indeed ".repeat(copy).strip();
      for (int i = 0; i < GOOD.length; i++) {
        lines.add(GOOD[i] + suffix + "\t1");
        lines.add(BAD[i] + suffix + "\t0");
      }
    }
    return Files.write(temporary.resolve(name), lines);
  }

  /** The validation texts in file order, as the trainer batches them (padded to the longest). */
  private BatchEncoding validationBatch(Path tokenizerDirectory) throws IOException {
    List<TextInput> texts = LabelledData.load(write("validation.tsv", 1)).inputs();
    EncodeOptions options =
        EncodeOptions.builder().truncation(EncodeOptions.Truncation.LONGEST_FIRST).maxLength(128)
            .padding(EncodeOptions.Padding.LONGEST).build();
    return Tokenizers.load(tokenizerDirectory).encodeBatch(texts, options);
  }

  /** Mean cross-entropy of logits {@code [n, 2]} against the validation labels: good (1), bad (0), alternating. */
  private static double loss(Tensor logits) {
    float[] values = logits.toFloatArray();
    double loss = 0;
    int rows = logits.dim(0);
    for (int row = 0; row < rows; row++) {
      int label = row % 2 == 0 ? 1 : 0;
      double a = values[2 * row];
      double b = values[2 * row + 1];
      double max = Math.max(a, b);
      double logSum = max + Math.log(Math.exp(a - max) + Math.exp(b - max));
      loss += logSum - values[2 * row + label];
    }
    return loss / rows;
  }

  private static LoadRequest request(Path directory, ModelFormat format) {
    return LoadRequest.builder(directory, format)
        .config(ModelConfig.load(directory).toMap())
        .intraOpThreads(1)
        .cacheDirectory(CACHE.orElseThrow())
        .build();
  }

  private static Path model(String name) {
    String shared = System.getProperty("jtransformers.shared", "../shared");
    Path directory = Path.of(shared, "models", name);
    assumeTrue(Files.isDirectory(directory), () -> shared + " absent: skipping the test that needs " + name);
    return directory;
  }
}
