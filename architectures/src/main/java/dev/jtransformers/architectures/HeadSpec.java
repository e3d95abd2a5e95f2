package dev.jtransformers.architectures;

import static dev.jtransformers.api.ModelOutput.LAST_HIDDEN_STATE;

import java.util.List;
import java.util.Objects;

/**
 * A task head as a checkpoint stores it: the encoder's last hidden states, cut to the first ({@code [CLS]}) token's
 * or kept for every token, through a stack of layers. The last layer's output is the head's output; a head with
 * two outputs (question answering's start and end logits) splits the last layer's output axis, one column each.
 *
 * <p>BERT's sequence classifier is the {@code [CLS]} state through {@code bert.pooler.dense} (tanh) and {@code
 * classifier}; DistilBERT's through {@code pre_classifier} (ReLU) and {@code classifier}. Token classification
 * ({@code classifier}) and question answering ({@code qa_outputs}) apply one layer to every token. A masked LM
 * transforms every token (a linear layer, {@code hidden_act}, a layer norm), then decodes it with the word
 * embeddings as weight. BERT's bare model pools with {@code pooler.dense} (tanh); DistilBERT's has no layers.
 *
 * @param task which head this is
 * @param firstTokenOnly whether the layers see only the first token's state ({@code [batch, hidden]}) rather than
 *     every token's ({@code [batch, sequence, hidden]})
 * @param layers applied in order; each takes the previous one's outputs
 */
public record HeadSpec(TaskHead task, boolean firstTokenOnly, List<HeadLayer> layers) {
  /** @throws IllegalArgumentException if consecutive layers don't fit together */
  public HeadSpec {
    Objects.requireNonNull(task, "task");
    layers = List.copyOf(layers);
    for (int i = 1; i < layers.size(); i++) {
      if (layers.get(i).linear().inputs() != layers.get(i - 1).linear().outputs()) {
        throw new IllegalArgumentException(
            "head layer " + layers.get(i).linear() + " does not take the outputs of " + layers.get(i - 1).linear());
      }
    }
  }

  /** The outputs the head adds to {@code last_hidden_state}, in order; none for a head without layers. */
  public List<String> outputNames() {
    return layers.isEmpty()
        ? List.of()
        : task.outputNames().stream().filter(name -> !name.equals(LAST_HIDDEN_STATE)).toList();
  }

  /** Every parameter the layers read, in order, a tied one (the masked-LM decoder's) included. */
  public List<Parameter> parameters() {
    return layers.stream().flatMap(layer -> layer.parameters().stream()).toList();
  }
}
