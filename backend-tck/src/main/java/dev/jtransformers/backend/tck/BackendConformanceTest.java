package dev.jtransformers.backend.tck;

import static dev.jtransformers.backend.tck.Outputs.assertClose;
import static dev.jtransformers.backend.tck.Outputs.assertShape;
import static dev.jtransformers.backend.tck.Outputs.flatten;
import static dev.jtransformers.backend.tck.Outputs.maxAbsDiff;
import static dev.jtransformers.backend.tck.Outputs.row;
import static dev.jtransformers.backend.tck.Outputs.tokens;
import static dev.jtransformers.api.ModelOutput.LAST_HIDDEN_STATE;
import static dev.jtransformers.api.ModelOutput.LOGITS;
import static dev.jtransformers.api.ModelOutput.POOLER_OUTPUT;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jtransformers.api.BackendException;
import dev.jtransformers.api.BatchEncoding;
import dev.jtransformers.api.Model;
import dev.jtransformers.api.ModelLoadException;
import dev.jtransformers.api.ModelOutput;
import dev.jtransformers.api.Tensor;
import dev.jtransformers.models.Cache;
import dev.jtransformers.models.ModelConfig;
import dev.jtransformers.models.ModelResolver;
import dev.jtransformers.models.embedded.AllMiniLmL6V2;
import dev.jtransformers.spi.Backend;
import dev.jtransformers.spi.LoadRequest;
import dev.jtransformers.spi.ModelFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The conformance kit every backend runs: a backend module's test extends this class and supplies its {@link
 * Backend}, the {@link Fixture}s it must load and the {@link Capability}s it has. The tests check a backend against
 * Hugging Face's own outputs on the shared fixtures, batching, text pairs, concurrent use, closing, and the
 * embedded default model. Tests of fixtures or capabilities a backend does not declare are skipped, and so are the
 * tests that need the shared folder when it is absent.
 *
 * <p>The fixture tests run once per fixture and per {@linkplain Backend#modelFormats() format the backend reads},
 * each loading that format explicitly, so a backend that reads two formats is checked on both; a fixture that ships
 * no file of a format skips it. Each fixture model is loaded once per test class and shared by the tests (they only
 * read it).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class BackendConformanceTest {
  /** Largest difference allowed from Hugging Face's outputs: engines differ in float rounding, not in results. */
  private static final double REFERENCE_TOLERANCE = 1e-4;

  /** Largest difference allowed between an input's outputs in a padded batch and alone: padding must not leak. */
  private static final double BATCH_TOLERANCE = 1e-5;

  /** Threads sharing one model in the concurrency tests. */
  private static final int THREADS = 8;

  /** Calls each thread makes in the concurrency test. */
  private static final int CALLS_PER_THREAD = 125;

  /** The tiny fixtures' hidden size: the concurrency test runs on them only. */
  private static final int TINY_HIDDEN = 32;

  /** The embedded model's hidden size. */
  private static final int MINILM_HIDDEN = 384;

  /** The seeds' sentences, as the all-MiniLM-L6-v2 tokenizer encodes them. */
  private static final int[] WAITING_FOR_A_COURSE = {
    101, 1045, 1005, 2310, 2042, 3403, 2005, 1037, 17662, 12172, 2607, 2026, 2878, 2166, 1012, 102
  };

  private static final int[] I_HATE_THIS = {101, 1045, 5223, 2023, 2061, 2172, 999, 102};

  /** One fixture in one format: what a fixture test loads. */
  private record FixtureModel(Fixture fixture, ModelFormat format) {}

  private final Map<FixtureModel, Model> models = new HashMap<>();
  private Backend backend;
  private Model embedded;

  /** The backend under test; called once per test class. */
  protected abstract Backend createBackend();

  /** The fixtures the backend must load: those in a format it reads. The tests of the others are skipped. */
  protected abstract Set<Fixture> fixtures();

  /** The optional abilities the backend has; all of them unless overridden. */
  protected Set<Capability> capabilities() {
    return EnumSet.allOf(Capability.class);
  }

  /**
   * The request a model is loaded with: its {@code config.json} if it has one, the CPU, engine-default threads and
   * options, and the project's cache for unpacked files. Override to load with other settings (start from {@code
   * super.loadRequest(...).toBuilder()}).
   */
  protected LoadRequest loadRequest(Path modelDirectory, ModelFormat format) {
    LoadRequest.Builder request =
        LoadRequest.builder(modelDirectory, format).cacheDirectory(Cache.atDefaultLocation().root());
    if (Files.exists(modelDirectory.resolve(ModelConfig.FILE_NAME))) {
      request.config(ModelConfig.load(modelDirectory).toMap());
    }
    return request.build();
  }

  /**
   * The directory a fixture test loads {@code format} from, holding that model, its {@code config.json} and
   * tokenizer as the fixture has them: the fixture's own if it {@linkplain Fixture#formats() ships} the format, else
   * none, and the test is skipped. Override to test a format the fixtures don't ship, made from one they do (e.g.
   * exported); the outputs are still checked against the fixture's references.
   */
  protected Optional<Path> modelDirectory(Fixture fixture, ModelFormat format) {
    return fixture.formats().contains(format) ? Optional.of(fixture.directory()) : Optional.empty();
  }

  @BeforeAll
  final void createBackendOnce() {
    backend = createBackend();
  }

  @AfterAll
  final void closeModels() {
    models.values().forEach(Model::close);
    if (embedded != null) {
      embedded.close();
    }
  }

  /** Every fixture in every format the backend reads. */
  final Stream<Arguments> fixtureModels() {
    return Arrays.stream(Fixture.values())
        .flatMap(fixture -> backend.modelFormats().stream().map(format -> Arguments.of(fixture, format)));
  }

  /** The formats the backend reads. */
  final Stream<ModelFormat> formats() {
    return backend.modelFormats().stream();
  }

  // ---- fixtures against Hugging Face's outputs

  @ParameterizedTest
  @MethodSource("fixtureModels")
  final void loadsFixtureWithHuggingFaceOutputNames(Fixture fixture, ModelFormat format) {
    Set<String> names = model(fixture, format).outputNames();
    assertTrue(names.contains(LOGITS), () -> "outputs " + names + " lack " + LOGITS);
    assertTrue(names.contains(LAST_HIDDEN_STATE), () -> "outputs " + names + " lack " + LAST_HIDDEN_STATE);
  }

  @ParameterizedTest
  @MethodSource("fixtureModels")
  final void matchesHuggingFaceOneInputAtATime(Fixture fixture, ModelFormat format) {
    ModelConfig config = ModelConfig.load(declaredDirectory(fixture, format));
    Model model = model(fixture, format);

    for (ReferenceCase reference : casesTheBackendCanRun(fixture, config)) {
      ModelOutput output = model.forward(Inputs.single(reference.inputIds(), reference.tokenTypeIds()));

      int length = reference.inputIds().length;
      assertShape(output.get(LOGITS), LOGITS, 1, config.numLabels());
      assertShape(output.get(LAST_HIDDEN_STATE), LAST_HIDDEN_STATE, 1, length, config.hiddenSize());
      assertMatchesReference(reference, output, 0, fixture);
    }
  }

  @ParameterizedTest
  @MethodSource("fixtureModels")
  final void paddedBatchGivesEachInputItsOwnResult(Fixture fixture, ModelFormat format) {
    ModelConfig config = ModelConfig.load(declaredDirectory(fixture, format));
    Model model = model(fixture, format);
    List<ReferenceCase> cases = casesTheBackendCanRun(fixture, config);
    int longest = cases.stream().mapToInt(c -> c.inputIds().length).max().orElseThrow();

    ModelOutput batch = model.forward(batchOf(cases));

    assertShape(batch.get(LOGITS), LOGITS, cases.size(), config.numLabels());
    assertShape(batch.get(LAST_HIDDEN_STATE), LAST_HIDDEN_STATE, cases.size(), longest, config.hiddenSize());
    for (int i = 0; i < cases.size(); i++) {
      ReferenceCase reference = cases.get(i);
      int length = reference.inputIds().length;
      ModelOutput alone = model.forward(Inputs.single(reference.inputIds(), reference.tokenTypeIds()));
      String where = fixture + " \"" + reference.text() + "\" in a batch padded to " + longest;
      assertClose(row(alone.get(LOGITS), 0), row(batch.get(LOGITS), i), BATCH_TOLERANCE, where + ": logits");
      assertClose(
          tokens(alone.get(LAST_HIDDEN_STATE), 0, length),
          tokens(batch.get(LAST_HIDDEN_STATE), i, length),
          BATCH_TOLERANCE,
          where + ": last_hidden_state of the real tokens");
      assertMatchesReference(reference, batch, i, fixture);
    }
  }

  @ParameterizedTest
  @MethodSource("fixtureModels")
  final void textPairsUseTheirTokenTypeIds(Fixture fixture, ModelFormat format) {
    assumeCapability(Capability.TOKEN_TYPE_IDS);
    ModelConfig config = ModelConfig.load(declaredDirectory(fixture, format));
    assumeTrue(config.typeVocabSize() > 1, () -> fixture + " takes no token_type_ids");
    List<ReferenceCase> cases = ReferenceCase.read(fixture.directory());
    Model model = model(fixture, format);
    Optional<ReferenceCase> referencePair = cases.stream().filter(ReferenceCase::pair).findFirst();
    referencePair.ifPresent(
        pair -> {
          ModelOutput output = model.forward(Inputs.single(pair.inputIds(), pair.tokenTypeIds()));
          assertMatchesReference(pair, output, 0, fixture);
        });

    // Without a reference pair, join two texts into one: the outputs must still depend on the token types.
    List<ReferenceCase> singles = ReferenceCase.singles(cases);
    int[] ids =
        referencePair
            .map(ReferenceCase::inputIds)
            .orElseGet(() -> ReferenceCase.pairIds(singles.get(0).inputIds(), singles.get(1).inputIds()));
    ModelOutput right = model.forward(Inputs.single(ids, ReferenceCase.pairTypeIds(ids)));
    ModelOutput allZero = model.forward(Inputs.single(ids, new int[ids.length]));
    double change =
        maxAbsDiff(right.get(LAST_HIDDEN_STATE).toFloatArray(), allZero.get(LAST_HIDDEN_STATE).toFloatArray());
    assertTrue(
        change > 1e-3, () -> "token_type_ids seem not to reach the model: changing them changed outputs by " + change);
  }

  /**
   * Eight threads share one model for a thousand mixed calls (each reference input alone, text pairs among them,
   * and all of them as one padded batch), every thread in another order: each result equals the one-thread result.
   * On the tiny fixtures only: a MiniLM-size model shared by eight threads takes minutes on some engines.
   */
  @ParameterizedTest
  @MethodSource("fixtureModels")
  final void concurrentForwardsEqualSequentialOnes(Fixture fixture, ModelFormat format) throws Exception {
    ModelConfig config = ModelConfig.load(declaredDirectory(fixture, format));
    assumeTrue(config.hiddenSize() <= TINY_HIDDEN, () -> fixture + ": concurrency is checked on the tiny fixtures");
    Model model = model(fixture, format);
    List<ReferenceCase> cases = casesTheBackendCanRun(fixture, config);
    List<BatchEncoding> inputs = new ArrayList<>();
    cases.forEach(c -> inputs.add(Inputs.single(c.inputIds(), c.tokenTypeIds())));
    inputs.add(batchOf(cases));
    List<ModelOutput> sequential = inputs.stream().map(model::forward).toList();

    inThreads(THREADS, thread -> {
      for (int call = 0; call < CALLS_PER_THREAD; call++) {
        int i = (call * 7 + thread) % inputs.size(); // each thread in its own order, so different inputs overlap
        assertSameOutput(sequential.get(i), model.forward(inputs.get(i)), fixture + " input " + i);
      }
    });
  }

  /**
   * Closing a model while threads are calling it lets each call finish with its correct result or fail with an
   * {@link IllegalStateException}; nothing else, and no native crash.
   */
  @Test
  final void closingUnderLoadLetsCallsFinishOrFailWithIllegalState() throws Exception {
    FixtureModel first = firstFixtureModel();
    ReferenceCase reference = ReferenceCase.read(first.fixture().directory()).get(0);
    BatchEncoding input = Inputs.single(reference.inputIds(), reference.tokenTypeIds());
    Model model = backend.load(loadRequest(declaredDirectory(first.fixture(), first.format()), first.format()));
    ModelOutput expected = model.forward(input);
    CountDownLatch running = new CountDownLatch(THREADS);
    List<Integer> completed = Collections.synchronizedList(new ArrayList<>());
    ExecutorService driver = Executors.newSingleThreadExecutor();
    try {
      Future<?> load = driver.submit(() -> {
        inThreads(THREADS, thread -> {
          int calls = 0;
          try {
            while (true) {
              assertSameOutput(expected, model.forward(input), "a call completed while the model was closing");
              if (++calls == 5) {
                running.countDown();
              }
            }
          } catch (IllegalStateException closed) {
            completed.add(calls);
          }
        });
        return null;
      });
      assertTrue(running.await(1, TimeUnit.MINUTES), "every thread got going");
      model.close();
      load.get(1, TimeUnit.MINUTES);
    } finally {
      driver.shutdownNow();
    }

    assertEquals(THREADS, completed.size(), "every thread ended with IllegalStateException once the model closed");
  }

  /** Runs {@code body} on {@code threads} threads started together; rethrows the first failure. */
  private static void inThreads(int threads, ThreadBody body) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<?>> runs = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        Callable<Void> run = () -> {
          start.await();
          body.run(thread);
          return null;
        };
        runs.add(pool.submit(run));
      }
      start.countDown();
      for (Future<?> run : runs) {
        run.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** What each thread of {@link #inThreads} runs. */
  @FunctionalInterface
  private interface ThreadBody {
    void run(int thread) throws Exception;
  }

  // ---- life cycle

  @Test
  final void closingIsIdempotentAndUseAfterCloseFails() {
    FixtureModel first = firstFixtureModel();
    ReferenceCase reference = ReferenceCase.read(first.fixture().directory()).get(0);
    BatchEncoding input = Inputs.single(reference.inputIds(), reference.tokenTypeIds());
    Model model = backend.load(loadRequest(declaredDirectory(first.fixture(), first.format()), first.format()));
    model.forward(input);

    model.close();

    assertDoesNotThrow(model::close);
    assertThrows(IllegalStateException.class, () -> model.forward(input));
  }

  @ParameterizedTest
  @MethodSource("formats")
  final void directoryWithoutAModelIsALoadError(ModelFormat format, @TempDir Path empty) {
    LoadRequest request = loadRequest(empty, format);

    ModelLoadException e = assertThrows(ModelLoadException.class, () -> backend.load(request));

    assertTrue(e.getMessage().contains(empty.toString()), () -> "message does not name the directory: " + e);
  }

  @Test
  final void aFormatItDoesNotReadIsABackendError() {
    FixtureModel first = firstFixtureModel();
    Optional<ModelFormat> unread =
        Arrays.stream(ModelFormat.values()).filter(f -> !backend.modelFormats().contains(f)).findFirst();
    assumeTrue(unread.isPresent(), () -> backend.name() + " reads every format");

    LoadRequest request = loadRequest(first.fixture().directory(), unread.get());
    BackendException e = assertThrows(BackendException.class, () -> backend.load(request));

    assertTrue(e.getMessage().contains(unread.get().toString()), () -> "message does not name the format: " + e);
  }

  // ---- the embedded default model

  @Test
  final void embeddedMiniLmGivesHiddenStatesOfWidth384() {
    Model model = embeddedModel();

    assertTrue(model.outputNames().contains(LAST_HIDDEN_STATE), () -> "outputs: " + model.outputNames());
    assertTrue(model.outputNames().contains(POOLER_OUTPUT), () -> "outputs: " + model.outputNames());
    List<int[]> ids = List.of(WAITING_FOR_A_COURSE, I_HATE_THIS);
    ModelOutput batch = model.forward(Inputs.batch(ids, ids.stream().map(a -> new int[a.length]).toList()));
    ModelOutput alone = model.forward(Inputs.single(I_HATE_THIS, new int[I_HATE_THIS.length]));

    assertShape(batch.get(LAST_HIDDEN_STATE), LAST_HIDDEN_STATE, 2, WAITING_FOR_A_COURSE.length, MINILM_HIDDEN);
    assertShape(batch.get(POOLER_OUTPUT), POOLER_OUTPUT, 2, MINILM_HIDDEN);
    assertClose(
        tokens(alone.get(LAST_HIDDEN_STATE), 0, I_HATE_THIS.length),
        tokens(batch.get(LAST_HIDDEN_STATE), 1, I_HATE_THIS.length),
        BATCH_TOLERANCE,
        "embedded MiniLM: padded input vs alone");
  }

  @Test
  final void embeddedMiniLmReproducesSentenceTransformersEmbeddings() throws IOException {
    Path referenceFile = SharedFolder.resolve("reference/minilm.embeddings.jsonl");
    Model model = embeddedModel();
    ObjectMapper mapper = new ObjectMapper();
    List<JsonNode> lines;
    try (Stream<String> text = Files.lines(referenceFile)) {
      lines = text.limit(12).map(line -> readJson(mapper, line)).toList();
    }
    List<int[]> ids = lines.stream().map(line -> ReferenceCase.ints(line.get("input_ids"))).toList();

    Tensor states =
        model.forward(Inputs.batch(ids, ids.stream().map(a -> new int[a.length]).toList())).get(LAST_HIDDEN_STATE);

    for (int i = 0; i < lines.size(); i++) {
      float[] expected = ReferenceCase.floats(lines.get(i).get("embedding"));
      float[] actual = meanPooledUnitVector(tokens(states, i, ids.get(i).length), MINILM_HIDDEN);
      assertClose(expected, actual, REFERENCE_TOLERANCE, "embedding of \"" + lines.get(i).get("text").asText() + "\"");
    }
  }

  // ---- helpers

  /** The fixture's directory; skips the test if the backend does not declare the fixture or it lacks the format. */
  private Path declaredDirectory(Fixture fixture, ModelFormat format) {
    assumeTrue(
        fixtures().contains(fixture), () -> backend.name() + " declares no support for fixture " + fixture);
    Optional<Path> directory = modelDirectory(fixture, format);
    assumeTrue(directory.isPresent(), () -> fixture + " ships no " + format + " model");
    return directory.get();
  }

  /** The first declared fixture in the first of the backend's formats it ships: for tests of any one model. */
  private FixtureModel firstFixtureModel() {
    Optional<FixtureModel> first =
        fixtures().stream()
            .sorted()
            .flatMap(
                fixture ->
                    backend.modelFormats().stream()
                        .filter(format -> modelDirectory(fixture, format).isPresent())
                        .map(format -> new FixtureModel(fixture, format)))
            .findFirst();
    assumeTrue(first.isPresent(), () -> backend.name() + " declares no fixture in a format it reads");
    return first.get();
  }

  private void assumeCapability(Capability capability) {
    assumeTrue(capabilities().contains(capability), () -> backend.name() + " lacks capability " + capability);
  }

  private synchronized Model model(Fixture fixture, ModelFormat format) {
    Path directory = declaredDirectory(fixture, format);
    return models.computeIfAbsent(
        new FixtureModel(fixture, format), key -> backend.load(loadRequest(directory, format)));
  }

  private synchronized Model embeddedModel() {
    assumeCapability(Capability.EMBEDDED_MODEL);
    if (embedded == null) {
      Path directory = new ModelResolver().resolve(AllMiniLmL6V2.ID);
      embedded = backend.load(loadRequest(directory, ModelFormat.ONNX));
    }
    return embedded;
  }

  /** The reference cases, without text pairs when the model takes token types and the backend can't feed them. */
  private List<ReferenceCase> casesTheBackendCanRun(Fixture fixture, ModelConfig config) {
    List<ReferenceCase> cases = ReferenceCase.read(fixture.directory());
    boolean pairsNeedTypes = config.typeVocabSize() > 1 && !capabilities().contains(Capability.TOKEN_TYPE_IDS);
    return pairsNeedTypes ? ReferenceCase.singles(cases) : cases;
  }

  private static BatchEncoding batchOf(List<ReferenceCase> cases) {
    return Inputs.batch(
        cases.stream().map(ReferenceCase::inputIds).toList(),
        cases.stream().map(ReferenceCase::tokenTypeIds).toList());
  }

  private static void assertMatchesReference(ReferenceCase reference, ModelOutput output, int row, Fixture fixture) {
    String where = fixture + " \"" + reference.text() + "\"";
    assertClose(reference.logits(), row(output.get(LOGITS), row), REFERENCE_TOLERANCE, where + ": logits");
    assertClose(
        flatten(reference.lastHiddenState()),
        tokens(output.get(LAST_HIDDEN_STATE), row, reference.inputIds().length),
        REFERENCE_TOLERANCE,
        where + ": last_hidden_state");
  }

  private static void assertSameOutput(ModelOutput expected, ModelOutput actual, String what) {
    assertEquals(expected.names(), actual.names(), what);
    for (String name : expected.names()) {
      assertShape(actual.get(name), name, expected.get(name).shape());
      assertClose(
          expected.get(name).toFloatArray(), actual.get(name).toFloatArray(), BATCH_TOLERANCE, what + ": " + name);
    }
  }

  /** Mean over the tokens, scaled to unit length: sentence-transformers' pooling and normalisation. */
  private static float[] meanPooledUnitVector(float[] tokenStates, int hidden) {
    int tokens = tokenStates.length / hidden;
    double[] sum = new double[hidden];
    for (int t = 0; t < tokens; t++) {
      for (int h = 0; h < hidden; h++) {
        sum[h] += tokenStates[t * hidden + h];
      }
    }
    double norm = 0;
    for (double s : sum) {
      norm += s * s;
    }
    norm = Math.sqrt(norm);
    float[] unit = new float[hidden];
    for (int h = 0; h < hidden; h++) {
      unit[h] = (float) (sum[h] / norm); // the mean's 1/tokens cancels in the normalisation
    }
    return unit;
  }

  private static JsonNode readJson(ObjectMapper mapper, String line) {
    try {
      return mapper.readTree(line);
    } catch (IOException e) {
      throw new AssertionError("malformed reference line: " + line, e);
    }
  }
}
