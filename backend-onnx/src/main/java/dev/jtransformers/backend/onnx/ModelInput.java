package dev.jtransformers.backend.onnx;

import dev.jtransformers.api.Encoding;
import java.util.Arrays;
import java.util.Optional;

/** The graph inputs this backend can feed, by their Hugging Face names, and where each takes its values from. */
enum ModelInput {
  INPUT_IDS("input_ids") {
    @Override
    int[] values(Encoding encoding) {
      return encoding.ids();
    }
  },
  ATTENTION_MASK("attention_mask") {
    @Override
    int[] values(Encoding encoding) {
      return encoding.attentionMask();
    }
  },
  TOKEN_TYPE_IDS("token_type_ids") {
    @Override
    int[] values(Encoding encoding) {
      return encoding.typeIds();
    }
  };

  private final String graphName;

  ModelInput(String graphName) {
    this.graphName = graphName;
  }

  /** The input's name in exported graphs. */
  String graphName() {
    return graphName;
  }

  /** This input's values for one encoding, one per token. */
  abstract int[] values(Encoding encoding);

  static Optional<ModelInput> named(String graphName) {
    return Arrays.stream(values()).filter(input -> input.graphName.equals(graphName)).findFirst();
  }

  /** The names of all inputs, for error messages. */
  static String allNames() {
    return String.join(", ", Arrays.stream(values()).map(ModelInput::graphName).toList());
  }
}
