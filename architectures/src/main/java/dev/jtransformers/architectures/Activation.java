package dev.jtransformers.architectures;

import dev.jtransformers.api.ModelLoadException;
import java.util.Arrays;
import java.util.Locale;

/** The element-wise function after a linear layer, under the names {@code config.json} gives them. */
public enum Activation {
  /** None: the classifier layers. */
  IDENTITY {
    @Override
    <T> T apply(TensorOps<T> ops, T x) {
      return x;
    }
  },
  /** The exact, erf-based GELU ({@code hidden_act} {@code "gelu"}): the feed-forward layers and masked-LM heads. */
  GELU {
    @Override
    <T> T apply(TensorOps<T> ops, T x) {
      return ops.gelu(x);
    }
  },
  /** {@code max(0, x)}: DistilBERT's pre-classifier. */
  RELU {
    @Override
    <T> T apply(TensorOps<T> ops, T x) {
      return ops.relu(x);
    }
  },
  /** Hyperbolic tangent: BERT's pooler. */
  TANH {
    @Override
    <T> T apply(TensorOps<T> ops, T x) {
      return ops.tanh(x);
    }
  };

  /** The function applied to {@code x} with {@code ops}. */
  abstract <T> T apply(TensorOps<T> ops, T x);

  /**
   * The activation a configuration's {@code hidden_act} (DistilBERT: {@code activation}) names.
   *
   * @throws ModelLoadException naming the value and the supported ones, if it is not one of them (the tanh
   *     approximations {@code gelu_new} and {@code gelu_pytorch_tanh} are not)
   */
  public static Activation fromHiddenAct(String hiddenAct) {
    return Arrays.stream(values())
        .filter(a -> a != IDENTITY && a.name().toLowerCase(Locale.ROOT).equals(hiddenAct))
        .findFirst()
        .orElseThrow(
            () ->
                new ModelLoadException(
                    "config.json: hidden_act '" + hiddenAct + "' is not supported; supported: gelu, relu, tanh"));
  }
}
