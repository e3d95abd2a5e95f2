package dev.jtransformers.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The named tensors a model returns, under Hugging Face's names where the model has them: {@link
 * #LAST_HIDDEN_STATE} {@code [batch, sequence, hidden]}, {@link #POOLER_OUTPUT} {@code [batch, hidden]}, {@link
 * #LOGITS} ({@code [batch, labels]} for sequence classification, {@code [batch, sequence, labels]} for token
 * classification, {@code [batch, sequence, vocabulary]} for masked language models), and a question-answering
 * model's {@link #START_LOGITS} and {@link #END_LOGITS} {@code [batch, sequence]}. Immutable.
 */
public final class ModelOutput {
  public static final String LAST_HIDDEN_STATE = "last_hidden_state";
  public static final String POOLER_OUTPUT = "pooler_output";
  public static final String LOGITS = "logits";
  /** A question-answering model's score of each token as the first of the answer. */
  public static final String START_LOGITS = "start_logits";
  /** A question-answering model's score of each token as the last of the answer. */
  public static final String END_LOGITS = "end_logits";

  private final Map<String, Tensor> tensors;

  private ModelOutput(Map<String, Tensor> tensors) {
    this.tensors = tensors;
  }

  /** An output holding these tensors, in the map's iteration order. */
  public static ModelOutput of(Map<String, Tensor> tensors) {
    Map<String, Tensor> copy = new LinkedHashMap<>();
    tensors.forEach((name, tensor) -> copy.put(Objects.requireNonNull(name), Objects.requireNonNull(tensor, name)));
    return new ModelOutput(Collections.unmodifiableMap(copy));
  }

  /** The output names, in the model's order. */
  public Set<String> names() {
    return tensors.keySet();
  }

  /** The tensor of that name, if the model has one. */
  public Optional<Tensor> find(String name) {
    return Optional.ofNullable(tensors.get(name));
  }

  /**
   * The tensor of that name.
   *
   * @throws IllegalArgumentException naming the outputs there are, if the model has none of that name
   */
  public Tensor get(String name) {
    Tensor t = tensors.get(name);
    if (t == null) {
      throw new IllegalArgumentException("model output has no '" + name + "'; it has " + tensors.keySet());
    }
    return t;
  }

  @Override
  public String toString() {
    return "ModelOutput" + tensors;
  }
}
