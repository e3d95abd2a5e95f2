package dev.jtransformers.pipelines;

import dev.jtransformers.api.BatchEncoding;
import dev.jtransformers.api.Encoding;
import dev.jtransformers.api.InvalidInputException;
import dev.jtransformers.api.Model;
import dev.jtransformers.api.ModelLoadException;
import dev.jtransformers.api.ModelOutput;
import dev.jtransformers.api.Tensor;
import dev.jtransformers.api.TransformersException;
import dev.jtransformers.architectures.TaskHead;
import dev.jtransformers.models.ModelConfig;
import java.util.List;
import java.util.Optional;

/**
 * Checks a freshly loaded network against its checkpoint's {@code config.json} by running it once on two tokens,
 * the first and the last id of the configured vocabulary. A network that belongs to another model (another width,
 * label count or vocabulary than the configuration says) so fails while the model loads, with a message naming
 * both, instead of on every call or, worse, returning vectors of the wrong width.
 */
final class NetworkProbe {
  private NetworkProbe() {}

  /**
   * @throws ModelLoadException naming the directory, the output and both sizes, if the network's outputs
   *     contradict {@code config.json}, or if the network fails on the last id of the configured vocabulary
   */
  static void check(Checkpoint checkpoint, Model model) {
    ModelConfig config = checkpoint.config();
    ModelOutput output;
    try {
      output = model.forward(BatchEncoding.of(List.of(probe(config.vocabSize()))));
    } catch (InvalidInputException e) {
      return; // a graph of fixed dimensions (an export for one sequence length) takes no two-token probe
    } catch (TransformersException e) {
      throw new ModelLoadException("the network in " + checkpoint.directory() + " fails on token id "
          + (config.vocabSize() - 1) + ", the last of the vocab_size " + config.vocabSize() + " that config.json"
          + " declares; the network belongs to another model? " + e.getMessage(), e);
    }
    requireWidth(checkpoint, output, ModelOutput.LAST_HIDDEN_STATE, config.hiddenSize(), "hidden size");
    expectedLogits(config).ifPresent(width ->
        requireWidth(checkpoint, output, ModelOutput.LOGITS, width, TaskHead.of(config) == TaskHead.MASKED_LM
            ? "vocab_size" : "label count (id2label / num_labels)"));
  }

  /** The width of the {@code logits} the head config.json names gives: one per label, or per vocabulary entry. */
  private static Optional<Integer> expectedLogits(ModelConfig config) {
    return switch (TaskHead.of(config)) {
      case SEQUENCE_CLASSIFICATION, TOKEN_CLASSIFICATION -> Optional.of(config.numLabels());
      case MASKED_LM -> Optional.of(config.vocabSize());
      case BASE, QUESTION_ANSWERING -> Optional.empty();
    };
  }

  private static void requireWidth(
      Checkpoint checkpoint, ModelOutput output, String name, int expected, String what) {
    Optional<Tensor> tensor = output.find(name);
    if (tensor.isEmpty() || tensor.get().rank() == 0) {
      return;
    }
    int width = tensor.get().dim(tensor.get().rank() - 1);
    if (width != expected) {
      throw new ModelLoadException("the network in " + checkpoint.directory() + " returns " + name + " " + width
          + " wide, but config.json's " + what + " is " + expected + ": the network and config.json belong to"
          + " different models");
    }
  }

  private static Encoding probe(int vocabSize) {
    int[] ids = {0, vocabSize - 1};
    int[] zeros = {0, 0};
    int[] ones = {1, 1};
    return Encoding.of(ids, zeros, new String[] {"", ""}, new int[4], zeros, ones,
        new int[] {Encoding.NO_WORD, Encoding.NO_WORD}, List.of());
  }
}
