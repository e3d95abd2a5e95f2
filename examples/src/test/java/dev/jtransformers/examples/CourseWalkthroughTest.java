package dev.jtransformers.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jtransformers.api.Tensor;
import dev.jtransformers.examples.CourseWalkthrough.Checkpoints;
import dev.jtransformers.examples.CourseWalkthrough.Classification;
import dev.jtransformers.examples.CourseWalkthrough.Result;
import dev.jtransformers.pipelines.PipelineFactory;
import dev.jtransformers.pipelines.tasks.TextClassification;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The walkthrough prints and returns what the course shows: on the shared sentiment classifier, the very tensors
 * Python {@code transformers} computed ({@code reference.jsonl}); on a fresh clone without {@code ../shared}, the
 * tokenizer and base-model steps on the embedded model, saying which steps it skipped.
 */
class CourseWalkthroughTest {
  private static final double TOLERANCE = 1e-4;
  private static final String EMBEDDED = "sentence-transformers/all-MiniLM-L6-v2";

  // The course's numbers, the same for every checkpoint with the bert-base-uncased vocabulary.
  private static final long[][] COURSE_INPUT_IDS = {
    {101, 1045, 1005, 2310, 2042, 3403, 2005, 1037, 17662, 12172, 2607, 2026, 2878, 2166, 1012, 102},
    {101, 1045, 5223, 2023, 2061, 2172, 999, 102, 0, 0, 0, 0, 0, 0, 0, 0}
  };
  private static final long[][] COURSE_ATTENTION_MASK = {
    {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1},
    {1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0}
  };

  @TempDir static Path saveDirectory;

  private static Path sharedRoot;
  private static Result onDefaults;
  private static String printed;

  @BeforeAll
  static void runOnTheDefaultCheckpoint() throws IOException {
    sharedRoot = Path.of(System.getProperty("jtransformers.shared", "../shared"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    onDefaults = CourseWalkthrough.run(Checkpoints.defaults(sharedRoot), saveDirectory.resolve("defaults"), print(out));
    printed = out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void theTokenizerAndModelStepsGiveTheCourseNumbers() {
    assertCourseSteps(onDefaults);
    assertTrue(printed.contains("[2, 16, 384]"), printed);
    assertTrue(printed.contains("[  101,  1045,  5223,  2023,  2061,  2172,   999,   102,     0,"), printed);
  }

  @Test
  void onTheSharedClassifierItsTensorsEqualPythons() throws IOException {
    Path checkpoint = sharedRoot.resolve(CourseWalkthrough.SHARED_CLASSIFIER);
    assumeTrue(
        Files.isDirectory(checkpoint),
        "../shared absent (" + checkpoint + " not found): skipping the comparison with Python's reference outputs");
    assertEquals(Checkpoints.of(checkpoint.normalize().toString()), onDefaults.checkpoints());

    List<JsonNode> reference = jsonLines(checkpoint.resolve("reference.jsonl"));
    Classification classification = onDefaults.classification();
    assertArrayEquals(new int[] {2, 2}, classification.logits().shape());
    for (int i = 0; i < CourseWalkthrough.RAW_INPUTS.size(); i++) {
      JsonNode row = reference.get(i);
      assertEquals(CourseWalkthrough.RAW_INPUTS.get(i), row.get("text").asText());
      String what = "sentence " + i;
      long[] ids = onDefaults.inputs().inputIds()[i];
      JsonNode expectedIds = row.get("input_ids");
      for (int t = 0; t < ids.length; t++) {
        assertEquals(t < expectedIds.size() ? expectedIds.get(t).asLong() : 0L, ids[t], what + " token " + t);
      }
      assertArrayEquals(floats(row.get("logits")), classification.logits().slice(i).toFloatArray(), (float) TOLERANCE);
      assertArrayEquals(
          floats(row.get("probabilities")), classification.probabilities().slice(i).toFloatArray(), (float) TOLERANCE);
      JsonNode states = row.get("last_hidden_state");
      Tensor actual = onDefaults.lastHiddenState().slice(i);
      for (int t = 0; t < states.size(); t++) {
        assertArrayEquals(
            floats(states.get(t)), actual.slice(t).toFloatArray(), (float) TOLERANCE, what + " token " + t);
      }
    }
    assertEquals(new TreeMap<>(Map.of(0, "NEGATIVE", 1, "POSITIVE")), classification.id2label());
    assertEquals(List.of("POSITIVE", "NEGATIVE"), classification.predictions());
    assertTrue(onDefaults.savedFiles().containsAll(List.of("config.json", "model.safetensors", "onnx/model.onnx")));
  }

  @Test
  void withoutSharedItRunsOnTheEmbeddedModels() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Result result =
        CourseWalkthrough.run(
            Checkpoints.defaults(Path.of("/nonexistent")), saveDirectory.resolve("embedded"), print(out));
    String text = out.toString(StandardCharsets.UTF_8);

    assertEquals(
        new Checkpoints(EMBEDDED, EMBEDDED, Optional.of(TextClassification.DEFAULT_HEAD)), result.checkpoints());
    assertCourseSteps(result);
    assertArrayEquals(new int[] {2, 2}, result.classification().logits().shape());
    assertEquals(List.of("POSITIVE", "NEGATIVE"), result.classification().predictions());
    assertTrue(result.savedFiles().containsAll(List.of("config.json", "onnx/model.onnx", "tokenizer.json")));
    assertFalse(result.savedFiles().contains("model.safetensors"), result.savedFiles().toString());
    assertTrue(text.contains("Python transformers can't"), text);
  }

  private static void assertCourseSteps(Result result) {
    assertArrayEquals(COURSE_INPUT_IDS, result.inputs().inputIds());
    assertArrayEquals(COURSE_ATTENTION_MASK, result.inputs().attentionMask());
    assertEquals(List.of("using", "a", "transform", "##er", "network", "is", "simple"), result.tokens());
    assertEquals(List.of(2478, 1037, 10938, 2121, 2897, 2003, 3722), result.ids());
    assertEquals("using a transformer network is simple", result.decoded());
    assertArrayEquals(
        new int[] {101, 2023, 2003, 1996, 2034, 6251, 1012, 102, 2023, 2003, 1996, 2117, 2028, 1012, 102},
        result.pair().ids());
    assertArrayEquals(new int[] {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1}, result.pair().typeIds());
    assertArrayEquals(new int[] {2, 16, 384}, result.lastHiddenState().shape());
  }

  private static PrintStream print(ByteArrayOutputStream out) {
    return new PrintStream(out, true, StandardCharsets.UTF_8);
  }

  private static List<JsonNode> jsonLines(Path file) throws IOException {
    ObjectMapper mapper = new ObjectMapper();
    List<JsonNode> rows = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      if (!line.isBlank()) {
        rows.add(mapper.readTree(line));
      }
    }
    return rows;
  }

  private static float[] floats(JsonNode array) {
    float[] values = new float[array.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) array.get(i).asDouble();
    }
    return values;
  }
}
