package dev.jtransformers.architectures;

import static dev.jtransformers.api.ModelOutput.LAST_HIDDEN_STATE;

import dev.jtransformers.api.ModelLoadException;
import dev.jtransformers.models.ModelConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One network described as its checkpoint stores it: an encoder of an {@link Architecture} (embeddings, then {@code
 * num_hidden_layers} {@link EncoderLayer}s) and a {@link HeadSpec task head} on it, every parameter with the name
 * and shape a {@code model.safetensors} of that Hugging Face class has, sized by {@code config.json}. A backend that
 * builds the network itself reads its weights by these names, validates a checkpoint against it ({@link
 * CheckpointValidator}) and runs it with {@link Network}.
 *
 * <p>Immutable.
 */
public final class NetworkSpec {
  /** The token ids {@code [batch, sequence]}. */
  public static final String INPUT_IDS = "input_ids";
  /** 1 for a token, 0 for padding, {@code [batch, sequence]}. */
  public static final String ATTENTION_MASK = "attention_mask";
  /** The segment of each token ({@code 0} first text, {@code 1} second), {@code [batch, sequence]}; BERT only. */
  public static final String TOKEN_TYPE_IDS = "token_type_ids";

  private final Architecture architecture;
  private final Embeddings embeddings;
  private final List<EncoderLayer> layers;
  private final HeadSpec head;
  private final List<Parameter> ignorable;
  private final DropoutRates dropout;

  private NetworkSpec(
      Architecture architecture,
      Embeddings embeddings,
      List<EncoderLayer> layers,
      HeadSpec head,
      List<Parameter> ignorable,
      DropoutRates dropout) {
    this.architecture = architecture;
    this.embeddings = embeddings;
    this.layers = List.copyOf(layers);
    this.head = head;
    this.ignorable = List.copyOf(ignorable);
    this.dropout = dropout;
  }

  /**
   * The network {@code config} describes: its {@code model_type}'s architecture with the head of its {@code
   * architectures} class.
   *
   * @throws ModelLoadException if the model type, the class or a setting is not supported, naming it
   */
  public static NetworkSpec of(ModelConfig config) {
    Objects.requireNonNull(config, "config");
    return of(Architecture.of(config), TaskHead.of(config), config);
  }

  /**
   * The network of {@code architecture} with head {@code task}, sized by {@code config} (whatever its own {@code
   * model_type} and {@code architectures} say).
   *
   * @throws ModelLoadException naming the setting, if {@code hidden_act} is not supported or the attention heads
   *     do not split the hidden width evenly
   */
  public static NetworkSpec of(Architecture architecture, TaskHead task, ModelConfig config) {
    Objects.requireNonNull(architecture, "architecture");
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(config, "config");
    if (config.numAttentionHeads() < 1 || config.hiddenSize() % config.numAttentionHeads() != 0) {
      throw new ModelLoadException(
          "config.json: "
              + config.numAttentionHeads()
              + " attention heads do not split the hidden size "
              + config.hiddenSize()
              + " evenly");
    }
    Layout layout = architecture.layout();
    String prefix = architecture.checkpointPrefix(task);
    Activation activation = Activation.fromHiddenAct(config.hiddenAct());
    List<EncoderLayer> layers = new ArrayList<>();
    for (int i = 0; i < config.numHiddenLayers(); i++) {
      layers.add(layout.layerNames().layer(prefix, i, config, activation));
    }
    List<Parameter> ignorable = new ArrayList<>(List.of(layout.positionIds(prefix, config)));
    ignorable.addAll(layout.ignorable(task, prefix, config));
    return new NetworkSpec(
        architecture,
        layout.embeddings(prefix, config),
        layers,
        architecture.head(task, config),
        ignorable,
        layout.dropout(task, config));
  }

  public Architecture architecture() {
    return architecture;
  }

  /** The Hugging Face class this network is, e.g. {@code BertForSequenceClassification}. */
  public String className() {
    return architecture.className(head.task());
  }

  public Embeddings embeddings() {
    return embeddings;
  }

  /** The encoder layers, first to last. */
  public List<EncoderLayer> layers() {
    return layers;
  }

  public HeadSpec head() {
    return head;
  }

  /** The dropout {@link Network#forwardTraining} applies, as {@code config.json} sets it. */
  public DropoutRates dropout() {
    return dropout;
  }

  /** This network with other dropout rates: none for a step that must equal a reference computation. */
  public NetworkSpec withDropout(DropoutRates rates) {
    return new NetworkSpec(architecture, embeddings, layers, head, ignorable, Objects.requireNonNull(rates, "rates"));
  }

  /**
   * The parameters of the network's layer norms (embeddings, every layer, a masked-LM head's transform): with the
   * biases, what {@code transformers}' {@code Trainer} exempts from weight decay.
   */
  public Set<String> layerNormParameterNames() {
    Stream<LayerNorm> norms =
        Stream.of(
                Stream.of(embeddings.norm()),
                layers.stream().flatMap(layer -> Stream.of(layer.attentionNorm(), layer.outputNorm())),
                head.layers().stream().flatMap(layer -> layer.norm().stream()))
            .flatMap(s -> s);
    return norms.flatMap(norm -> norm.parameters().stream()).map(Parameter::name).collect(Collectors.toUnmodifiableSet());
  }

  /**
   * The inputs the network takes, each {@code [batch, sequence]} integers: {@value #INPUT_IDS}, {@value
   * #ATTENTION_MASK}, and {@value #TOKEN_TYPE_IDS} where the architecture has token types (BERT, not DistilBERT).
   * Also the order of a traced model's positional inputs.
   */
  public List<String> inputNames() {
    return embeddings.tokenTypes().isPresent()
        ? List.of(INPUT_IDS, ATTENTION_MASK, TOKEN_TYPE_IDS)
        : List.of(INPUT_IDS, ATTENTION_MASK);
  }

  /** The outputs the network returns, in order: {@link TaskHead#outputNames()} less those it lacks (a pooler). */
  public List<String> outputNames() {
    List<String> produced = head.outputNames();
    return head.task().outputNames().stream()
        .filter(name -> name.equals(LAST_HIDDEN_STATE) || produced.contains(name))
        .toList();
  }

  /**
   * Every parameter the network reads, each once, in checkpoint module order (embeddings, layers, head): exactly
   * the tensors a checkpoint must hold. A masked LM's decoder weight is the word embeddings, listed once.
   */
  public List<Parameter> parameters() {
    Map<String, Parameter> byName = new LinkedHashMap<>();
    Stream.of(
            embeddings.parameters().stream(),
            layers.stream().flatMap(layer -> layer.parameters().stream()),
            head.parameters().stream())
        .flatMap(s -> s)
        .forEach(parameter -> byName.putIfAbsent(parameter.name(), parameter));
    return List.copyOf(byName.values());
  }

  /**
   * Tensors a checkpoint may also hold, which the network does not read: the {@code position_ids} buffer older
   * versions of {@code transformers} saved, stored copies of tied weights (a masked LM's decoder), and the layers
   * of a wider model that the head leaves unused (BERT's pooler under a token classifier, the next-sentence head of
   * a {@code BertForPreTraining} checkpoint under a masked LM).
   */
  public List<Parameter> ignorableParameters() {
    return ignorable;
  }

  @Override
  public String toString() {
    return "NetworkSpec[" + className() + ", " + layers.size() + " layers, " + parameters().size() + " parameters]";
  }
}
