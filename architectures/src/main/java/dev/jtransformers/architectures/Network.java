package dev.jtransformers.architectures;

import static dev.jtransformers.api.ModelOutput.LAST_HIDDEN_STATE;

import dev.jtransformers.models.safetensors.SafetensorsFile;
import dev.jtransformers.spi.ModelFormat;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The forward pass of a {@link NetworkSpec}, written once for every engine against {@link TensorOps}: embeddings,
 * the encoder layers (masked multi-head self-attention and the feed-forward layer, each with a residual sum and a
 * layer norm), then the task head. {@link #forward} matches Python {@code transformers} in inference mode (no
 * dropout); {@link #forwardTraining} in training mode, with the spec's {@link DropoutRates dropout}.
 *
 * <p>{@link #build} turns the checkpoint's weights into engine tensors once; {@link #forward} then runs as often as
 * needed (an eager engine, once per batch) or once over placeholders (a graph builder). Thread-safe if the
 * operations are.
 *
 * @param <T> the engine's tensor type
 */
public final class Network<T> {
  private final NetworkSpec spec;
  private final TensorOps<T> ops;
  private final Map<String, T> parameters;

  private Network(NetworkSpec spec, TensorOps<T> ops, Map<String, T> parameters) {
    this.spec = spec;
    this.ops = ops;
    this.parameters = parameters;
  }

  /**
   * Validates {@code weights} against {@code spec} and hands each parameter to {@link TensorOps#parameter}.
   *
   * @param weights the checkpoint, read during this call only; the caller closes it
   * @throws dev.jtransformers.api.ModelLoadException naming the file and tensor, if the checkpoint does not match
   *     the spec ({@link CheckpointValidator#validate}) or a tensor can't be read
   */
  public static <T> Network<T> build(NetworkSpec spec, TensorOps<T> ops, SafetensorsFile weights) {
    return build(spec, ops, Weights.of(Objects.requireNonNull(weights, "weights")));
  }

  /** The formats whose weights {@link #load} reads. */
  public static final Set<ModelFormat> WEIGHT_FORMATS =
      Collections.unmodifiableSet(EnumSet.of(ModelFormat.SAFETENSORS, ModelFormat.ONNX));

  /**
   * The network of a checkpoint file in one of the {@link #WEIGHT_FORMATS}: a {@code model.safetensors}, or the
   * initializers of an ONNX export ({@link OnnxWeights}). Every engine that builds the network itself loads it here.
   *
   * @throws IllegalArgumentException if the format holds no weights this module reads
   * @throws dev.jtransformers.api.ModelLoadException naming the file and tensor, if the weights do not match the spec
   */
  public static <T> Network<T> load(NetworkSpec spec, TensorOps<T> ops, ModelFormat format, Path file) {
    return load(spec, ops, format, file, Optional.empty());
  }

  /**
   * The network of a checkpoint file as {@link #load(NetworkSpec, TensorOps, ModelFormat, Path)} reads it, with a
   * LoRA adapter merged into its weights ({@link PeftAdapter#mergeInto}).
   *
   * @throws dev.jtransformers.api.ModelLoadException naming the file and tensor, if the weights do not match the
   *     spec or the adapter does not fit them
   */
  public static <T> Network<T> load(
      NetworkSpec spec, TensorOps<T> ops, ModelFormat format, Path file, Optional<PeftAdapter> adapter) {
    switch (format) {
      case SAFETENSORS -> {
        try (SafetensorsFile weights = SafetensorsFile.open(file)) {
          return build(spec, ops, adapted(Weights.of(weights), adapter));
        }
      }
      case ONNX -> {
        return build(spec, ops, adapted(OnnxWeights.read(file, spec), adapter));
      }
      default -> throw new IllegalArgumentException(
          format + " holds no weights a network is built from; readable: " + WEIGHT_FORMATS);
    }
  }

  private static Weights adapted(Weights weights, Optional<PeftAdapter> adapter) {
    return adapter.<Weights>map(a -> a.mergeInto(weights)).orElse(weights);
  }

  /**
   * Validates {@code weights} against {@code spec} and hands each parameter to {@link TensorOps#parameter}: the
   * same as from a safetensors file, from any {@link Weights} (an ONNX export's initializers).
   *
   * @throws dev.jtransformers.api.ModelLoadException naming the file and tensor, if the weights do not match the
   *     spec ({@link CheckpointValidator#validate}) or a tensor can't be read
   */
  public static <T> Network<T> build(NetworkSpec spec, TensorOps<T> ops, Weights weights) {
    Objects.requireNonNull(ops, "ops");
    CheckpointValidator.validate(spec, weights);
    Map<String, T> parameters = new HashMap<>();
    for (Parameter parameter : spec.parameters()) {
      parameters.put(parameter.name(), ops.parameter(parameter.name(), weights.read(parameter.name())));
    }
    return new Network<>(spec, ops, Map.copyOf(parameters));
  }

  public NetworkSpec spec() {
    return spec;
  }

  /**
   * The engine's tensor of one parameter, as {@link TensorOps#parameter} made it: a trainer reads the trained
   * values from here.
   *
   * @throws IllegalArgumentException if the spec has no parameter of that name
   */
  public T parameter(String name) {
    T value = parameters.get(name);
    if (value == null) {
      throw new IllegalArgumentException(spec.className() + " has no parameter " + name);
    }
    return value;
  }

  /**
   * Runs the network.
   *
   * @param inputs the tensors named by {@link NetworkSpec#inputNames()}, each {@code [batch, sequence]} integers
   * @return the tensors named by {@link NetworkSpec#outputNames()}, in that order
   * @throws IllegalArgumentException naming the expected inputs, if {@code inputs} has other names
   */
  public Map<String, T> forward(Map<String, T> inputs) {
    return run(inputs, DropoutRates.NONE);
  }

  /**
   * Runs the network as Hugging Face's modules run in {@code train()} mode: with {@link TensorOps#dropout} where
   * {@link NetworkSpec#dropout()} sets a rate above 0. With {@link DropoutRates#NONE} it equals {@link #forward}.
   *
   * @throws IllegalArgumentException naming the expected inputs, if {@code inputs} has other names
   */
  public Map<String, T> forwardTraining(Map<String, T> inputs) {
    return run(inputs, spec.dropout());
  }

  private Map<String, T> run(Map<String, T> inputs, DropoutRates dropout) {
    if (!inputs.keySet().equals(Set.copyOf(spec.inputNames()))) {
      throw new IllegalArgumentException(
          spec.className() + " takes inputs " + spec.inputNames() + ", got " + inputs.keySet());
    }
    T mask = inputs.get(NetworkSpec.ATTENTION_MASK);
    T ids = inputs.get(NetworkSpec.INPUT_IDS);
    T hidden = drop(embed(ids, Optional.ofNullable(inputs.get(NetworkSpec.TOKEN_TYPE_IDS))), dropout.embeddings());
    for (EncoderLayer layer : spec.layers()) {
      hidden = encode(hidden, mask, layer, dropout);
    }
    Map<String, T> outputs = head(hidden, dropout.headOutput());
    outputs.put(LAST_HIDDEN_STATE, hidden);
    Map<String, T> ordered = new LinkedHashMap<>();
    spec.outputNames().forEach(name -> ordered.put(name, outputs.get(name)));
    return ordered;
  }

  /** {@code norm(words[ids] + positions[0..S-1] + tokenTypes[types])}. */
  private T embed(T ids, Optional<T> tokenTypes) {
    Embeddings embeddings = spec.embeddings();
    T words = ops.gather(weight(embeddings.words()), ids);
    T sum = ops.add(words, ops.gather(weight(embeddings.positions()), ops.positions(ids)));
    if (tokenTypes.isPresent()) {
      sum = ops.add(sum, ops.gather(weight(embeddings.tokenTypes().orElseThrow()), tokenTypes.get()));
    }
    return layerNorm(sum, embeddings.norm());
  }

  /** One post-norm transformer layer over {@code x} {@code [batch, sequence, hidden]}. */
  private T encode(T x, T mask, EncoderLayer layer, DropoutRates dropout) {
    T context = attend(x, mask, layer, dropout.attention());
    T projected = drop(linear(context, layer.attentionOutput()), dropout.attentionOutput());
    T attended = layerNorm(ops.add(x, projected), layer.attentionNorm());
    T expanded = layer.activation().apply(ops, linear(attended, layer.intermediate()));
    T output = drop(linear(expanded, layer.output()), dropout.feedForwardOutput());
    return layerNorm(ops.add(attended, output), layer.outputNorm());
  }

  /** Scaled dot-product self-attention of every head, the heads' contexts joined: {@code [batch, sequence, hidden]}. */
  private T attend(T x, T mask, EncoderLayer layer, double probabilityDropout) {
    int heads = layer.attentionHeads();
    T query = splitHeads(linear(x, layer.query()), heads);
    T key = splitHeads(linear(x, layer.key()), heads);
    T value = splitHeads(linear(x, layer.value()), heads);
    float scale = (float) (1 / Math.sqrt(layer.query().outputs() / heads));
    T scores = ops.maskKeys(ops.scale(ops.matmul(query, ops.permute(key, 0, 1, 3, 2)), scale), mask);
    T context = ops.matmul(drop(ops.softmax(scores), probabilityDropout), value); // [batch, heads, seq, head width]
    return ops.mergeLastAxes(ops.permute(context, 0, 2, 1, 3));
  }

  /** {@code [batch, sequence, hidden]} → {@code [batch, heads, sequence, hidden / heads]}. */
  private T splitHeads(T x, int heads) {
    return ops.permute(ops.splitLastAxis(x, heads), 0, 2, 1, 3);
  }

  /** The head's outputs by name, from the last hidden states {@code [batch, sequence, hidden]}. */
  private Map<String, T> head(T hidden, double lastLayerDropout) {
    HeadSpec head = spec.head();
    T x = head.firstTokenOnly() ? ops.select(hidden, 1, 0) : hidden;
    List<HeadLayer> layers = head.layers();
    for (int i = 0; i < layers.size(); i++) {
      HeadLayer layer = layers.get(i);
      if (i == layers.size() - 1) {
        x = drop(x, lastLayerDropout);
      }
      x = layer.activation().apply(ops, linear(x, layer.linear()));
      if (layer.norm().isPresent()) {
        x = layerNorm(x, layer.norm().get());
      }
    }
    Map<String, T> outputs = new HashMap<>();
    List<String> names = head.outputNames();
    if (names.size() == 1) {
      outputs.put(names.get(0), x);
    } else {
      int lastAxis = head.firstTokenOnly() ? 1 : 2;
      for (int i = 0; i < names.size(); i++) {
        outputs.put(names.get(i), ops.select(x, lastAxis, i)); // question answering: start, end
      }
    }
    return outputs;
  }

  private T drop(T x, double rate) {
    return rate == 0 ? x : ops.dropout(x, rate);
  }

  private T linear(T x, Linear linear) {
    return ops.linear(x, weight(linear.weight()), weight(linear.bias()));
  }

  private T layerNorm(T x, LayerNorm norm) {
    return ops.layerNorm(x, weight(norm.weight()), weight(norm.bias()), norm.epsilon());
  }

  private T weight(Parameter parameter) {
    return parameters.get(parameter.name());
  }
}
