package dev.jtransformers.finetuning;

import dev.jtransformers.architectures.TaskHead;
import java.util.Arrays;

/** What a fine-tuned model learns to do, under the names of the pipelines that run it. */
public enum FineTuningTask {
  /** One label per text (or text pair): a {@code *ForSequenceClassification} model. */
  TEXT_CLASSIFICATION("text-classification", TaskHead.SEQUENCE_CLASSIFICATION),
  /** One label per word: a {@code *ForTokenClassification} model. */
  TOKEN_CLASSIFICATION("token-classification", TaskHead.TOKEN_CLASSIFICATION);

  private final String pipelineName;
  private final TaskHead head;

  FineTuningTask(String pipelineName, TaskHead head) {
    this.pipelineName = pipelineName;
    this.head = head;
  }

  /** The pipeline that runs the result, e.g. {@code text-classification}. */
  public String pipelineName() {
    return pipelineName;
  }

  /** The head the model gets. */
  public TaskHead head() {
    return head;
  }

  /**
   * The task of a pipeline name.
   *
   * @throws IllegalArgumentException naming the supported ones, if it is none of them
   */
  public static FineTuningTask of(String pipelineName) {
    return Arrays.stream(values())
        .filter(task -> task.pipelineName.equals(pipelineName))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException(
            "fine-tuning supports the tasks " + Arrays.stream(values()).map(t -> t.pipelineName).toList()
                + ", not '" + pipelineName + "'"));
  }
}
