package dev.jtransformers.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How {@link ChunkPipeline} cuts length-sorted chunks into batches: by count and by padded tokens, and evenly for a
 * few batches side by side.
 */
class BatchCuttingTest {

  @Test
  void shortChunksFillTheBatchSize() {
    int[] lengths = new int[100];
    Arrays.fill(lengths, 12);
    assertEquals(List.of(32, 32, 32, 4), batchSizes(lengths, 32, 4096));
  }

  @Test
  void longChunksAreCutByTokens() {
    int[] lengths = new int[40];
    Arrays.fill(lengths, 256);
    assertEquals(List.of(16, 16, 8), batchSizes(lengths, 32, 4096), "16 × 256 = 4096 tokens per batch");
  }

  @Test
  void theLongestChunkSoFarDecides() {
    // Sorted: 10, 10, 10, 100, 100 with room for 250 padded tokens: [10, 10, 10] is 30, adding 100 makes 4 × 100.
    assertEquals(List.of(3, 2), batchSizes(new int[] {10, 10, 10, 100, 100}, 32, 250));
  }

  @Test
  void aChunkWiderThanTheBudgetRunsAlone() {
    assertEquals(List.of(1, 1, 1), batchSizes(new int[] {500, 500, 500}, 32, 256));
  }

  @Test
  void parallelBatchesOfAFewLongChunksAreCutEvenly() {
    int[] lengths = new int[25];
    Arrays.fill(lengths, 200);
    assertEquals(List.of(8, 8, 8, 1), sizes(ChunkPipeline.bounds(lengths, 8, 2048, 1)), "one at a time");
    assertEquals(List.of(7, 6, 6, 6), sizes(ChunkPipeline.bounds(lengths, 8, 2048, 2)), "two threads finish together");
    assertEquals(List.of(5, 4, 4, 4, 4, 4), sizes(ChunkPipeline.bounds(lengths, 8, 1000, 2)),
        "five batches of 5 × 200 tokens (the budget) become six, an even number");
  }

  @Test
  void parallelBatchesOfManyChunksAreCutAsUsual() {
    int[] lengths = new int[100];
    Arrays.fill(lengths, 12);
    assertEquals(List.of(8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 4), sizes(ChunkPipeline.bounds(lengths, 8, 2048, 2)));
  }

  private static List<Integer> sizes(List<Integer> bounds) {
    List<Integer> sizes = new ArrayList<>();
    for (int b = 0; b + 1 < bounds.size(); b++) {
      sizes.add(bounds.get(b + 1) - bounds.get(b));
    }
    return sizes;
  }

  private static List<Integer> batchSizes(int[] lengths, int batchSize, int maxBatchTokens) {
    List<Integer> sizes = new ArrayList<>();
    for (int start = 0; start < lengths.length; ) {
      int end = ChunkPipeline.batchEnd(lengths, start, batchSize, maxBatchTokens);
      sizes.add(end - start);
      start = end;
    }
    return sizes;
  }
}
