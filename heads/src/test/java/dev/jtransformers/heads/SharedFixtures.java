package dev.jtransformers.heads;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jtransformers.api.BatchEncoding;
import dev.jtransformers.api.ModelOutput;
import dev.jtransformers.api.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The shared model fixtures ({@code ../shared}); tests using them are skipped where the folder is absent. */
public final class SharedFixtures {
  private SharedFixtures() {}

  /** A model directory under {@code shared/models}, or a skipped test. */
  public static Path model(String name) {
    String shared = System.getProperty("jtransformers.shared", "");
    Path directory = Path.of(shared, "models", name);
    assumeTrue(!shared.isEmpty() && Files.isDirectory(directory), "../shared absent: skipping, no " + directory);
    return directory;
  }

  /**
   * A model's {@code reference.jsonl} as one padded batch: the Python {@code last_hidden_state} of every line as
   * the model output, and the Python logits to compare with.
   */
  public record Reference(BatchEncoding batch, ModelOutput output, float[][] logits) {
    public static Reference read(Path modelDirectory) {
      List<int[]> ids = new ArrayList<>();
      List<float[][]> states = new ArrayList<>();
      List<float[]> logits = new ArrayList<>();
      ObjectMapper json = new ObjectMapper();
      try {
        for (String line : Files.readAllLines(modelDirectory.resolve("reference.jsonl"))) {
          JsonNode node = json.readTree(line);
          ids.add(json.treeToValue(node.get("input_ids"), int[].class));
          states.add(json.treeToValue(node.get("last_hidden_state"), float[][].class));
          logits.add(json.treeToValue(node.get("logits"), float[].class));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      BatchEncoding batch = TestBatches.padded(ids);
      int sequence = batch.sequenceLength();
      int hidden = states.get(0)[0].length;
      float[] padded = new float[ids.size() * sequence * hidden]; // padding positions stay 0
      for (int b = 0; b < states.size(); b++) {
        for (int s = 0; s < states.get(b).length; s++) {
          System.arraycopy(states.get(b)[s], 0, padded, (b * sequence + s) * hidden, hidden);
        }
      }
      ModelOutput output =
          ModelOutput.of(Map.of(ModelOutput.LAST_HIDDEN_STATE, Tensor.wrap(padded, ids.size(), sequence, hidden)));
      return new Reference(batch, output, logits.toArray(float[][]::new));
    }
  }
}
