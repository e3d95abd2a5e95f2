package dev.jtransformers.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jtransformers.api.BatchEncoding;
import dev.jtransformers.api.Model;
import dev.jtransformers.api.ModelOutput;
import dev.jtransformers.pipelines.tasks.FeatureExtraction;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** How many batches a pipeline runs at once: as its configuration says, else as many as its model runs well. */
class BatchPolicyTest {

  /** A model that runs {@code calls} calls well at once; the policy reads nothing else of it. */
  private record Concurrent(int calls) implements Model {
    @Override
    public ModelOutput forward(BatchEncoding batch) {
      throw new UnsupportedOperationException("the batch policy runs nothing");
    }

    @Override
    public int concurrentCalls() {
      return calls;
    }

    @Override
    public Set<String> outputNames() {
      return Set.of();
    }

    @Override
    public void close() {}
  }

  @Test
  void unsetTheModelChooses() {
    PipelineConfig<?> config = PipelineConfig.builder(FeatureExtraction.TASK).build();
    assertEquals(3, BatchPolicy.of(config, new Concurrent(3)).parallelBatches());
  }

  @Test
  void setTheConfigurationDecides() {
    PipelineConfig<?> config = PipelineConfig.builder(FeatureExtraction.TASK).parallelBatches(1).build();
    assertEquals(1, BatchPolicy.of(config, new Concurrent(3)).parallelBatches());
  }
}
