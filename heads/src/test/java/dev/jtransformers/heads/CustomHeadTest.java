package dev.jtransformers.heads;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtransformers.api.BatchEncoding;
import dev.jtransformers.api.ModelOutput;
import dev.jtransformers.api.Tensor;
import dev.jtransformers.spi.Head;
import dev.jtransformers.spi.HeadContext;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A user's head, registered through {@code META-INF/services}, is selected by name like a built-in one. */
class CustomHeadTest {
  @Test
  void aHeadRegisteredByAnotherJarIsSelectedByName() {
    HeadRegistry registry = HeadRegistry.fromServiceLoader();
    assertTrue(registry.names().contains("mean-max-pooling"), registry.names().toString());

    Head head = registry.create("mean-max-pooling", new HeadContext(Path.of("unused"), Map.of("normalize", "false")));
    Tensor states = Tensor.of(new float[] {1, -4, 3, 2, 100, 100, 5, 6, -7, 8, 9, 10}, 2, 3, 2);
    BatchEncoding batch = TestBatches.withMasks(new int[][] {{1, 1, 0}, {1, 1, 1}});
    Tensor combined = head.apply(ModelOutput.of(Map.of(ModelOutput.LAST_HIDDEN_STATE, states)), batch);

    assertArrayEquals(new int[] {2, 4}, combined.shape());
    assertArrayEquals(new float[] {2, -1, 3, 2}, combined.slice(0).toFloatArray());
    assertArrayEquals(new float[] {7 / 3f, 8, 9, 10}, combined.slice(1).toFloatArray());
  }
}
