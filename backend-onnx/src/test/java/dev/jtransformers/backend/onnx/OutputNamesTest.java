package dev.jtransformers.backend.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jtransformers.backend.onnx.OutputNames.GraphOutput;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class OutputNamesTest {
  private static GraphOutput output(String name, long... shape) {
    return new GraphOutput(name, shape);
  }

  @Test
  void namesMiniLmsNodeNamedOutputsByShape() {
    List<GraphOutput> outputs = List.of(output("output_0", -1, -1, 384), output("882", -1, 384));

    assertEquals(
        Map.of("output_0", "last_hidden_state", "882", "pooler_output"),
        OutputNames.assign(outputs, OptionalInt.of(384)));
  }

  @Test
  void keepsHuggingFaceNames() {
    List<GraphOutput> outputs = List.of(output("logits", -1, 3), output("last_hidden_state", -1, -1, 32));

    assertEquals(
        Map.of("logits", "logits", "last_hidden_state", "last_hidden_state"),
        OutputNames.assign(outputs, OptionalInt.of(32)));
  }

  @Test
  void narrowMatrixIsLogits() {
    assertEquals(
        Map.of("out", "logits", "hidden", "last_hidden_state"),
        OutputNames.assign(List.of(output("out", -1, 2), output("hidden", -1, -1, 768)), OptionalInt.of(768)));
  }

  @Test
  void takesTheHiddenSizeFromTheStatesWithoutAConfiguration() {
    List<GraphOutput> outputs = List.of(output("a", -1, 384), output("b", -1, -1, 384), output("c", -1, 2));

    assertEquals(
        Map.of("a", "pooler_output", "b", "last_hidden_state", "c", "logits"),
        OutputNames.assign(outputs, OptionalInt.empty()));
  }

  @Test
  void eachNameGoesToTheFirstFittingOutputOnly() {
    List<GraphOutput> outputs =
        List.of(
            output("last_hidden_state", -1, -1, 8),
            output("all_states", -1, -1, 8),
            output("x", -1, 4),
            output("y", -1, 5),
            output("attentions", -1, 2, -1, -1));

    assertEquals(
        Map.of(
            "last_hidden_state", "last_hidden_state",
            "all_states", "all_states",
            "x", "logits",
            "y", "y",
            "attentions", "attentions"),
        OutputNames.assign(outputs, OptionalInt.of(8)));
  }

  @Test
  void keepsGraphOrder() {
    List<GraphOutput> outputs = List.of(output("p", -1, 16), output("s", -1, -1, 16), output("l", -1, 3));

    assertEquals(List.of("p", "s", "l"), List.copyOf(OutputNames.assign(outputs, OptionalInt.of(16)).keySet()));
  }
}
