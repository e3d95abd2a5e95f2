package dev.jtransformers.architectures;

import static dev.jtransformers.api.ModelOutput.LOGITS;
import static dev.jtransformers.architectures.TensorAssertions.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jtransformers.api.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The token-classification, question-answering and masked-LM heads on plain arrays against the raw outputs of
 * Python {@code transformers} on a padded batch of two inputs ({@code head-references.json}, written by {@code
 * src/test/python/make_head_references.py}). Every output is compared at every position, padding included.
 */
class TaskHeadReferenceTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static JsonNode references;

  @BeforeAll
  static void readReferences() throws IOException {
    try (InputStream in = TaskHeadReferenceTest.class.getResourceAsStream("head-references.json")) {
      references = JSON.readTree(in).get("models");
    }
  }

  @ParameterizedTest
  @MethodSource(SharedFixtures.TASK_MODELS)
  void reproducesPython(String model) throws IOException {
    Network<Tensor> network = SharedFixtures.network(SharedFixtures.model(model));
    JsonNode reference = references.get(model);
    long[][] ids = JSON.treeToValue(reference.get("input_ids"), long[][].class);
    long[][] mask = JSON.treeToValue(reference.get("attention_mask"), long[][].class);
    long[][] types =
        reference.has("token_type_ids") ? JSON.treeToValue(reference.get("token_type_ids"), long[][].class) : null;

    Map<String, Tensor> outputs = network.forward(SharedFixtures.inputs(network.spec(), ids, mask, types));

    JsonNode expected = reference.get("outputs");
    assertEquals(network.spec().outputNames(), List.copyOf(outputs.keySet()));
    for (String name : outputs.keySet()) {
      if (name.equals(LOGITS) && expected.has("masked_logits")) {
        assertMaskedLogits(reference, outputs.get(LOGITS), model);
      } else {
        assertClose(floats(expected.get(name)), outputs.get(name).toFloatArray(), model + " " + name);
      }
    }
  }

  /** A masked LM's reference holds the logits at its {@code [MASK]} positions only, the vocabulary being large. */
  private static void assertMaskedLogits(JsonNode reference, Tensor logits, String model) throws IOException {
    int[][] positions = JSON.treeToValue(reference.get("mask_positions"), int[][].class);
    float[][] expected = JSON.treeToValue(reference.get("outputs").get("masked_logits"), float[][].class);
    assertEquals(positions.length, expected.length);
    for (int i = 0; i < positions.length; i++) {
      int[] at = positions[i];
      float[] actual = logits.slice(at[0]).slice(at[1]).toFloatArray();
      assertClose(expected[i], actual, model + " logits at " + at[0] + ", " + at[1]);
    }
  }

  /** A nested JSON array of numbers, flattened row-major. */
  private static float[] floats(JsonNode node) {
    List<Float> values = new java.util.ArrayList<>();
    collect(node, values);
    float[] result = new float[values.size()];
    for (int i = 0; i < result.length; i++) {
      result[i] = values.get(i);
    }
    return result;
  }

  private static void collect(JsonNode node, List<Float> values) {
    if (node.isArray()) {
      node.forEach(child -> collect(child, values));
    } else {
      values.add(node.floatValue());
    }
  }
}
