package dev.jtransformers.heads;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtransformers.api.BatchEncoding;
import dev.jtransformers.api.ModelOutput;
import dev.jtransformers.api.Tensor;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OutputHeadTest {
  private static final BatchEncoding BATCH = TestBatches.withMasks(new int[][] {{1, 1}, {1, 0}});
  private static final Tensor STATES = Tensor.of(new float[2 * 2 * 3], 2, 2, 3);
  private static final Tensor LOGITS = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
  private static final ModelOutput OUTPUT =
      ModelOutput.of(Map.of(ModelOutput.LAST_HIDDEN_STATE, STATES, ModelOutput.LOGITS, LOGITS));

  @Test
  void passesTheNamedOutputThrough() {
    assertSame(STATES, OutputHead.hiddenStates().apply(OUTPUT, BATCH));
    assertSame(LOGITS, OutputHead.logits().apply(OUTPUT, BATCH));
  }

  @Test
  void refusesAnOutputOfAnotherRankOrBatchSize() {
    ModelOutput swapped = ModelOutput.of(Map.of(ModelOutput.LOGITS, STATES));
    var rank = assertThrows(IllegalArgumentException.class, () -> OutputHead.logits().apply(swapped, BATCH));
    assertTrue(rank.getMessage().contains("[2, 2, 3]"), rank.getMessage());
    BatchEncoding three = TestBatches.withMasks(new int[][] {{1}, {1}, {1}});
    assertThrows(IllegalArgumentException.class, () -> OutputHead.logits().apply(OUTPUT, three));
  }

  @Test
  void namesTheOutputsThereAreWhenOneIsMissing() {
    ModelOutput statesOnly = ModelOutput.of(Map.of(ModelOutput.LAST_HIDDEN_STATE, STATES));
    var e = assertThrows(IllegalArgumentException.class, () -> OutputHead.logits().apply(statesOnly, BATCH));
    assertTrue(e.getMessage().contains("no 'logits'") && e.getMessage().contains("last_hidden_state"), e.getMessage());
  }
}
