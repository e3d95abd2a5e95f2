package dev.jtransformers.backend.tensorflow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jtransformers.api.BackendException;
import dev.jtransformers.api.BatchEncoding;
import dev.jtransformers.api.Device;
import dev.jtransformers.api.Model;
import dev.jtransformers.api.ModelOutput;
import dev.jtransformers.api.Tensor;
import dev.jtransformers.architectures.FloatArrayOps;
import dev.jtransformers.architectures.TaskHead;
import dev.jtransformers.backend.onnx.OnnxBackend;
import dev.jtransformers.backend.tck.Inputs;
import dev.jtransformers.models.ModelConfig;
import dev.jtransformers.spi.ModelFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Signature;

/**
 * What the conformance kit does not cover: every task head against the ONNX backend (built in, and exported and
 * reloaded), the exported signature, minilm-l6-sst2's probabilities against Python, eight threads on one model, and
 * CUDA without the GPU build.
 */
class TensorFlowBackendTest {
  /** Engines differ in float rounding, not in results. */
  private static final double TOLERANCE = 1e-4;

  private final TensorFlowBackend backend = new TensorFlowBackend();

  @TempDir Path temporary;

  @ParameterizedTest
  @ValueSource(
      strings = {
        "tiny-random-bert", "tiny-random-distilbert", "tiny-random-bert-ner", "tiny-random-distilbert-ner",
        "tiny-random-bert-qa", "tiny-random-distilbert-qa", "tiny-random-bert-mlm", "tiny-random-distilbert-mlm",
        "tiny-random-bert-nli"
      })
  void builtInGraphAndItsExportReproduceOnnxRuntime(String fixture) {
    Path directory = SharedModels.directory(fixture);
    Path exported = temporary.resolve("export");
    new SavedModelExporter().export(SharedModels.request(directory, ModelFormat.SAFETENSORS), exported);
    BatchEncoding batch = paddedBatchWithAPair(ModelConfig.load(directory));

    ModelOutput expected;
    try (Model onnx = new OnnxBackend().load(SharedModels.request(directory, ModelFormat.ONNX))) {
      expected = onnx.forward(batch);
    }
    try (Model builtIn = backend.load(SharedModels.request(directory, ModelFormat.SAFETENSORS));
        Model reloaded = backend.load(SharedModels.request(exported, ModelFormat.TENSORFLOW_SAVED_MODEL))) {
      assertSameOutputs(expected, builtIn.forward(batch), fixture + " built in");
      assertSameOutputs(expected, reloaded.forward(batch), fixture + " exported and reloaded");
    }
  }

  @Test
  void exportHasAServingSignatureNamedAsTheTaskAndTheConfiguration() {
    Path directory = SharedModels.directory("tiny-random-distilbert-qa");
    Path exported = temporary.resolve("qa");

    new SavedModelExporter().export(SharedModels.request(directory, ModelFormat.SAFETENSORS), exported);

    assertTrue(Files.isRegularFile(exported.resolve(ModelConfig.FILE_NAME)));
    try (SavedModelBundle bundle = SavedModelBundle.load(exported.toString(), SavedModels.SERVE_TAG)) {
      Signature serving = bundle.function(Signature.DEFAULT_KEY).signature();
      assertEquals(Set.of("input_ids", "attention_mask"), serving.inputNames());
      assertEquals(Set.copyOf(TaskHead.QUESTION_ANSWERING.outputNames()), serving.outputNames());
    }
  }

  @Test
  void exportRefusesADirectoryThatIsNotEmpty() throws IOException {
    Path directory = SharedModels.directory("tiny-random-bert");
    Files.writeString(temporary.resolve("keep.txt"), "mine");

    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new SavedModelExporter().export(SharedModels.request(directory, ModelFormat.SAFETENSORS), temporary));

    assertTrue(e.getMessage().contains(temporary.toString()), e::getMessage);
  }

  /** The real sentiment classifier, as Python {@code transformers} runs it: the same probabilities and labels. */
  @Test
  void minilmSst2GivesPythonsProbabilities() throws IOException {
    Path directory = SharedModels.directory("minilm-l6-sst2");
    ObjectMapper json = new ObjectMapper();
    try (Model model = backend.load(SharedModels.request(directory, ModelFormat.SAFETENSORS))) {
      for (String line : Files.readAllLines(directory.resolve("reference.jsonl"))) {
        JsonNode reference = json.readTree(line);
        int[] ids = json.treeToValue(reference.get("input_ids"), int[].class);
        float[] expected = json.treeToValue(reference.get("probabilities"), float[].class);

        Tensor logits = model.forward(Inputs.single(ids, new int[ids.length])).get("logits");
        float[] probabilities = new FloatArrayOps().softmax(logits).toFloatArray(); // the reference softmax

        String text = reference.get("text").asText();
        assertEquals(argmax(expected), argmax(probabilities), () -> "label of \"" + text + "\"");
        for (int i = 0; i < expected.length; i++) {
          assertEquals(expected[i], probabilities[i], TOLERANCE, () -> "probabilities of \"" + text + "\"");
        }
      }
    }
  }

  @Test
  void eightThreadsShareOneModel() throws Exception {
    Path directory = SharedModels.directory("tiny-random-bert");
    try (Model model = backend.load(SharedModels.request(directory, ModelFormat.SAFETENSORS))) {
      List<BatchEncoding> inputs = new ArrayList<>();
      for (int seed = 0; seed < 16; seed++) {
        inputs.add(randomBatch(new Random(seed), 1 + seed % 4, 30522, 101, 102));
      }
      List<ModelOutput> sequential = inputs.stream().map(model::forward).toList();
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<Future<?>> runs = new ArrayList<>();
        for (int thread = 0; thread < 8; thread++) {
          int offset = thread;
          runs.add(pool.submit(() -> {
            for (int k = 0; k < 4 * inputs.size(); k++) {
              int i = (k + offset) % inputs.size();
              assertSameOutputs(sequential.get(i), model.forward(inputs.get(i)), "input " + i + " on thread " + offset);
            }
            return null;
          }));
        }
        for (Future<?> run : runs) {
          run.get();
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void cudaWithoutTheGpuBuildIsABackendErrorNamingIt() {
    assumeFalse(NativeRuntime.hasGpuBuild(), "TensorFlow's GPU build is on the classpath");
    Path directory = SharedModels.directory("tiny-random-bert");

    BackendException e =
        assertThrows(
            BackendException.class,
            () ->
                backend.load(
                    SharedModels.request(directory, ModelFormat.SAFETENSORS).toBuilder()
                        .device(Device.cuda(0))
                        .build()));

    assertTrue(e.getMessage().contains("tensorflow-core-native:1.1.0:linux-x86_64-gpu"), e::getMessage);
    assertEquals(EnumSet.of(Device.Type.CPU), backend.supportedDevices());
    assertTrue(backend.deviceHint(Device.cuda(0)).orElseThrow().contains("linux-x86_64-gpu"));
  }

  /** Three inputs of different lengths padded to the longest, the second a text pair (BERT's token types). */
  private static BatchEncoding paddedBatchWithAPair(ModelConfig config) {
    boolean fullVocabulary = config.vocabSize() > 4000; // the task fixtures' own vocabulary: [CLS] 2, [SEP] 3
    int cls = fullVocabulary ? 101 : 2;
    int sep = fullVocabulary ? 102 : 3;
    Random random = new Random(7);
    List<int[]> ids = List.of(
        ids(random, 7, config.vocabSize(), cls, sep), ids(random, 12, config.vocabSize(), cls, sep),
        ids(random, 5, config.vocabSize(), cls, sep));
    int[] pairTypes = new int[12];
    Arrays.fill(pairTypes, 6, 12, config.typeVocabSize() > 1 ? 1 : 0);
    return Inputs.batch(ids, List.of(new int[7], pairTypes, new int[5]));
  }

  private static BatchEncoding randomBatch(Random random, int size, int vocabulary, int cls, int sep) {
    List<int[]> ids = new ArrayList<>();
    List<int[]> types = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      ids.add(ids(random, 3 + random.nextInt(20), vocabulary, cls, sep));
      types.add(new int[ids.get(i).length]);
    }
    return Inputs.batch(ids, types);
  }

  /** {@code [CLS] random tokens [SEP]}, the tokens past the special ones at the start of every vocabulary. */
  private static int[] ids(Random random, int length, int vocabulary, int cls, int sep) {
    int firstWord = 1000;
    int[] ids = new int[length];
    for (int i = 1; i < length - 1; i++) {
      ids[i] = firstWord + random.nextInt(vocabulary - firstWord);
    }
    ids[0] = cls;
    ids[length - 1] = sep;
    return ids;
  }

  private static void assertSameOutputs(ModelOutput expected, ModelOutput actual, String what) {
    for (String name : expected.names()) {
      assertTrue(actual.names().contains(name), () -> what + ": outputs " + actual.names() + " lack " + name);
      Tensor want = expected.get(name);
      Tensor got = actual.get(name);
      assertArrayEquals(want.shape(), got.shape(), what + ": shape of " + name);
      float[] a = want.toFloatArray();
      float[] b = got.toFloatArray();
      double worst = 0;
      for (int i = 0; i < a.length; i++) {
        worst = Math.max(worst, Math.abs(a[i] - b[i]));
      }
      double diff = worst;
      assertTrue(diff <= TOLERANCE, () -> what + ": " + name + " differs by " + diff);
    }
  }

  private static int argmax(float[] values) {
    int best = 0;
    for (int i = 1; i < values.length; i++) {
      if (values[i] > values[best]) {
        best = i;
      }
    }
    return best;
  }
}
