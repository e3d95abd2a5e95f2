package dev.jtransformers.pipelines.tasks;

import dev.jtransformers.api.BatchEncoding;
import dev.jtransformers.api.ModelLoadException;
import dev.jtransformers.api.ModelOutput;
import dev.jtransformers.api.Tensor;
import dev.jtransformers.architectures.TaskHead;
import dev.jtransformers.models.ModelConfig;
import dev.jtransformers.spi.Head;
import java.nio.file.Path;
import java.util.Set;

/**
 * The head of an extractive question-answering model: its {@code start_logits} and {@code end_logits} {@code
 * [batch, sequence]} stacked into one {@code [batch, sequence, 2]} tensor (start at 0, end at 1), since a head
 * returns one tensor per batch. Immutable.
 */
public final class SpanLogitsHead implements Head {
  private static final SpanLogitsHead INSTANCE = new SpanLogitsHead();

  private SpanLogitsHead() {}

  /**
   * The head, for a model that has one.
   *
   * @param directory the model's directory, for messages
   * @param outputs the names of the outputs the loaded network returns
   * @throws ModelLoadException naming the architecture found, if the model is not a {@code *ForQuestionAnswering}
   *     or its network lacks {@code start_logits} / {@code end_logits}
   */
  public static SpanLogitsHead of(Path directory, ModelConfig config, Set<String> outputs) {
    TaskHead head = TaskHead.of(config);
    if (head != TaskHead.QUESTION_ANSWERING) {
      throw new ModelLoadException("question answering needs a *" + TaskHead.QUESTION_ANSWERING.classSuffix()
          + " model, but config.json in " + directory + " names " + config.architectures() + " (a *"
          + head.classSuffix() + " head)");
    }
    if (!outputs.contains(ModelOutput.START_LOGITS) || !outputs.contains(ModelOutput.END_LOGITS)) {
      throw new ModelLoadException("the " + config.architectures() + " network in " + directory + " outputs "
          + outputs + ", not " + ModelOutput.START_LOGITS + " and " + ModelOutput.END_LOGITS);
    }
    return INSTANCE;
  }

  @Override
  public Set<String> requiredOutputs() {
    return Set.of(ModelOutput.START_LOGITS, ModelOutput.END_LOGITS);
  }

  @Override
  public Tensor apply(ModelOutput output, BatchEncoding batch) {
    Tensor start = output.get(ModelOutput.START_LOGITS);
    Tensor end = output.get(ModelOutput.END_LOGITS);
    if (start.rank() != 2 || end.rank() != 2 || start.dim(0) != end.dim(0) || start.dim(1) != end.dim(1)) {
      throw new IllegalStateException("start and end logits must both be [batch, sequence], got " + start + " and "
          + end);
    }
    float[] starts = start.toFloatArray();
    float[] ends = end.toFloatArray();
    float[] stacked = new float[2 * starts.length];
    for (int i = 0; i < starts.length; i++) {
      stacked[2 * i] = starts[i];
      stacked[2 * i + 1] = ends[i];
    }
    return Tensor.wrap(stacked, start.dim(0), start.dim(1), 2);
  }

  @Override
  public String toString() {
    return "SpanLogitsHead";
  }
}
