package dev.jtransformers.backend.onnx;

import static dev.jtransformers.api.ModelOutput.LAST_HIDDEN_STATE;
import static dev.jtransformers.api.ModelOutput.LOGITS;
import static dev.jtransformers.api.ModelOutput.POOLER_OUTPUT;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Gives graph outputs Hugging Face's names. Exports made with Hugging Face tools already use them ({@code logits},
 * {@code last_hidden_state}, {@code pooler_output}); others name outputs after graph nodes (all-MiniLM-L6-v2's are
 * {@code output_0} and {@code 882}), so the shape decides: rank 3 is {@code last_hidden_state}; rank 2 as wide as
 * the hidden states is {@code pooler_output}; any other rank 2 is {@code logits}. Each name goes to the first
 * output it fits, in graph order; the outputs left over keep their graph names.
 */
final class OutputNames {
  private static final Set<String> HUGGING_FACE_NAMES = Set.of(LAST_HIDDEN_STATE, POOLER_OUTPUT, LOGITS);

  private OutputNames() {}

  /**
   * A float output of the graph.
   *
   * @param name its name in the graph
   * @param shape its dimensions, -1 where symbolic (e.g. batch and sequence)
   */
  record GraphOutput(String name, long[] shape) {}

  /**
   * The name each output gets, keyed by graph name, in graph order.
   *
   * @param hiddenSize the model's hidden size if its configuration says; otherwise the last dimension of the first
   *     rank-3 output stands in for it
   */
  static Map<String, String> assign(List<GraphOutput> outputs, OptionalInt hiddenSize) {
    Set<String> taken = new HashSet<>();
    for (GraphOutput output : outputs) {
      if (HUGGING_FACE_NAMES.contains(output.name())) {
        taken.add(output.name());
      }
    }
    OptionalInt hidden = hiddenSize.isPresent() ? hiddenSize : hiddenSizeOf(outputs);
    Map<String, String> names = new LinkedHashMap<>();
    for (GraphOutput output : outputs) {
      String name = output.name();
      if (!HUGGING_FACE_NAMES.contains(name)) {
        Optional<String> fitting = nameByShape(output.shape(), hidden).filter(taken::add);
        name = fitting.orElse(name);
      }
      names.put(output.name(), name);
    }
    return names;
  }

  private static Optional<String> nameByShape(long[] shape, OptionalInt hidden) {
    if (shape.length == 3) {
      return Optional.of(LAST_HIDDEN_STATE);
    }
    if (shape.length == 2) {
      boolean hiddenWide = hidden.isPresent() && shape[1] == hidden.getAsInt();
      return Optional.of(hiddenWide ? POOLER_OUTPUT : LOGITS);
    }
    return Optional.empty();
  }

  private static OptionalInt hiddenSizeOf(List<GraphOutput> outputs) {
    return outputs.stream()
        .filter(output -> output.shape().length == 3 && output.shape()[2] > 0)
        .mapToInt(output -> Math.toIntExact(output.shape()[2]))
        .findFirst();
  }
}
