package dev.jtransformers.backend.pytorch;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import dev.jtransformers.api.BatchEncoding;
import dev.jtransformers.api.ModelOutput;
import dev.jtransformers.api.Tensor;
import dev.jtransformers.architectures.LoraConfig;
import dev.jtransformers.architectures.Network;
import dev.jtransformers.architectures.NetworkSpec;
import dev.jtransformers.architectures.Parameter;
import dev.jtransformers.architectures.PeftAdapter;
import dev.jtransformers.architectures.Weights;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A built-in network ({@link Network} over libtorch) that trains: cross-entropy on its {@code logits}, gradients by
 * libtorch's autograd, gradient-norm clipping and an {@link AdamW} step. Either every parameter trains (full
 * fine-tuning) or, with a {@link LoraConfig}, only LoRA adapters on the targeted linear layers and the modules to
 * save, the base frozen.
 *
 * <p>Deterministic for a fixed seed and libtorch thread count: the seed draws the adapters' initial values and
 * seeds libtorch's generator, which draws dropout. Not thread-safe: one thread trains. The network's native memory
 * lives until {@link #close}.
 */
public final class TrainableNetwork implements AutoCloseable {
  /** Hugging Face's label of a token that counts in no loss (a word's later sub-tokens, special tokens). */
  public static final int IGNORED_LABEL = -100;

  private static final Logger LOG = LoggerFactory.getLogger(TrainableNetwork.class);

  private final NetworkSpec spec;
  private final Path origin;
  private final Engine engine;
  private final NDManager manager;
  private final Network<NDArray> network;
  private final LoraLayers lora;
  private final Optional<LoraConfig> loraConfig;
  private final Map<String, NDArray> trained;
  private final Set<String> decayed;
  private final AdamW optimizer;
  private final double maxGradientNorm;
  private final Map<String, NDArray[]> moments = new LinkedHashMap<>();
  private int steps;
  private boolean closed;

  private TrainableNetwork(
      NetworkSpec spec,
      Path origin,
      Engine engine,
      NDManager manager,
      Network<NDArray> network,
      LoraLayers lora,
      Optional<LoraConfig> loraConfig,
      Map<String, NDArray> trained,
      AdamW optimizer,
      double maxGradientNorm) {
    this.spec = spec;
    this.origin = origin;
    this.engine = engine;
    this.manager = manager;
    this.network = network;
    this.lora = lora;
    this.loraConfig = loraConfig;
    this.trained = Map.copyOf(trained);
    this.optimizer = optimizer;
    this.maxGradientNorm = maxGradientNorm;
    Set<String> norms = spec.layerNormParameterNames();
    // transformers' Trainer: decay everything but biases and layer norms; LoRA matrices decay too.
    this.decayed = trained.keySet().stream().filter(n -> !n.endsWith("bias") && !norms.contains(n))
        .collect(Collectors.toUnmodifiableSet());
    for (Map.Entry<String, NDArray> parameter : trained.entrySet()) {
      NDArray value = parameter.getValue();
      moments.put(parameter.getKey(), new NDArray[] {manager.zeros(value.getShape()), manager.zeros(value.getShape())});
    }
  }

  /**
   * The network {@code spec} describes with {@code weights}, ready to train.
   *
   * @param weights read during this call only; the caller closes them
   * @param lora LoRA adapters to train instead of the whole network
   * @param optimizer AdamW's hyper-parameters
   * @param maxGradientNorm the gradients' global L2 norm is clipped to this; 0 or less: no clipping
   * @param seed seeds the adapters' initial values and libtorch's generator (dropout)
   * @param cacheDirectory where libtorch is unpacked (see {@link PyTorchBackend})
   * @param threads libtorch's intra-op threads, 0 for its default; process-wide, the first start decides
   * @throws dev.jtransformers.api.ModelLoadException naming the file and tensor, if the weights do not fit
   * @throws IllegalArgumentException if the network has no {@code logits} or a LoRA target matches no layer
   */
  public static TrainableNetwork create(
      NetworkSpec spec,
      Weights weights,
      Optional<LoraConfig> lora,
      AdamW optimizer,
      double maxGradientNorm,
      long seed,
      Optional<Path> cacheDirectory,
      int threads) {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(optimizer, "optimizer");
    if (!spec.outputNames().contains(ModelOutput.LOGITS)) {
      throw new IllegalArgumentException(spec.className() + " has no logits to train on a cross-entropy loss");
    }
    Engine engine = LibTorch.engine(cacheDirectory, threads, threads > 0 ? 1 : 0);
    engine.setRandomSeed((int) seed);
    NDManager manager = engine.newBaseManager();
    try {
      Random random = new Random(seed);
      LoraLayers layers = lora.map(config -> LoraLayers.create(spec, config, manager, random)).orElse(LoraLayers.NONE);
      Predicate<String> trainable =
          lora.isEmpty()
              ? name -> true
              : name -> lora.get().savedParameters(spec).stream().anyMatch(p -> p.name().equals(name));
      NdArrayOps ops = NdArrayOps.training(manager, trainable, layers);
      Network<NDArray> network = Network.build(spec, ops, weights);
      Map<String, NDArray> trained = new LinkedHashMap<>();
      for (Parameter parameter : spec.parameters()) {
        NDArray array = ops.trainableParameters().get(parameter.name());
        if (array != null) {
          trained.put(parameter.name(), array);
        }
      }
      layers.adapters().values().forEach(adapter -> {
        trained.put(adapter.a().getName(), adapter.a());
        trained.put(adapter.b().getName(), adapter.b());
      });
      return new TrainableNetwork(spec, weights.path(), engine, manager, network, layers, lora, trained, optimizer, maxGradientNorm);
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  public NetworkSpec spec() {
    return spec;
  }

  /** The trained tensors' names: every parameter, or the adapters' matrices and the modules to save. */
  public List<String> trainedNames() {
    return List.copyOf(trained.keySet());
  }

  /** The number of {@link #step}s taken. */
  public int steps() {
    return steps;
  }

  /**
   * What one {@link #step} did.
   *
   * @param loss the batch's loss before the update
   * @param gradientNorm the gradients' global L2 norm before clipping
   * @param skipped whether the update was skipped because the loss or a gradient was not finite (as a loss scaler
   *     skips an overflowing step); the network is then unchanged
   */
  public record Step(double loss, double gradientNorm, boolean skipped) {}

  /**
   * One optimisation step on {@code batch}: a training forward pass (with dropout), the mean cross-entropy of its
   * logits against {@code labels}, its gradients, clipping, and an AdamW update at {@code learningRate}.
   *
   * @param labels per example for a sequence head ({@code batch} values), per token for a token head ({@code batch
   *     × sequence} values, row-major); {@value #IGNORED_LABEL} counts in no loss
   * @return the loss before the update, the gradients' norm before clipping, and whether the update was skipped
   * @throws IllegalArgumentException if the labels do not fit the logits, or none counts
   * @throws IllegalStateException after {@link #close}
   */
  public Step step(BatchEncoding batch, int[] labels, double learningRate) {
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      double loss = backward(batch, labels);
      double norm = gradientNorm();
      steps++;
      if (!Double.isFinite(loss) || !Double.isFinite(norm)) {
        LOG.warn("step {}: loss {}, gradient norm {}{}; update skipped", steps, loss, norm, firstNonFinite());
        zeroGradients();
        return new Step(loss, norm, true);
      }
      double clip = maxGradientNorm > 0 && norm > maxGradientNorm ? maxGradientNorm / (norm + 1e-6) : 1;
      update(learningRate, clip);
      return new Step(loss, norm, false);
    }
  }

  /** Where the gradients first stop being finite, for the warning. */
  private String firstNonFinite() {
    for (Map.Entry<String, NDArray> entry : trained.entrySet()) {
      NDArray gradient = entry.getValue().getGradient();
      if (gradient.isNaN().any().getBoolean() || gradient.isInfinite().any().getBoolean()) {
        return " (first in " + entry.getKey() + ")";
      }
    }
    return "";
  }

  /**
   * The loss's gradient with respect to every trained tensor on {@code batch}, without changing the network; for
   * checking this network against another implementation.
   */
  public Map<String, Tensor> gradients(BatchEncoding batch, int[] labels) {
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      backward(batch, labels);
      Map<String, Tensor> gradients = new LinkedHashMap<>();
      trained.forEach((name, array) -> gradients.put(name, Tensors.copy(array.getGradient())));
      zeroGradients();
      return gradients;
    }
  }

  /** The loss of a training forward pass on {@code batch}; gradients left in the trained tensors. */
  private double backward(BatchEncoding batch, int[] labels) {
    checkOpen();
    try (NDManager call = manager.newSubManager()) {
      Map<String, NDArray> inputs = LibTorchModel.inputs(call, batch, spec.inputNames());
      double loss;
      try (GradientCollector collector = engine.newGradientCollector()) {
        lora.training(true);
        NDArray logits = network.forwardTraining(inputs).get(ModelOutput.LOGITS);
        NDArray lossArray = crossEntropy(logits, labels);
        collector.backward(lossArray);
        loss = lossArray.getFloat();
      } finally {
        lora.training(false);
      }
      return loss;
    }
  }

  /** Mean cross-entropy of {@code logits [..., classes]} over the labels that count ({@code torch}'s). */
  private static NDArray crossEntropy(NDArray logits, int[] labels) {
    Shape shape = logits.getShape();
    int classes = Math.toIntExact(shape.get(shape.dimension() - 1));
    long rows = shape.size() / classes;
    if (rows != labels.length) {
      throw new IllegalArgumentException("logits " + shape + " take " + rows + " labels, got " + labels.length);
    }
    float[] target = new float[labels.length * classes];
    int counted = 0;
    for (int row = 0; row < labels.length; row++) {
      int label = labels[row];
      if (label == IGNORED_LABEL) {
        continue;
      }
      if (label < 0 || label >= classes) {
        throw new IllegalArgumentException("label " + label + " at row " + row + " is not one of " + classes);
      }
      target[row * classes + label] = 1;
      counted++;
    }
    if (counted == 0) {
      throw new IllegalArgumentException("every label of the batch is " + IGNORED_LABEL + ": nothing to learn");
    }
    NDArray logProbabilities = logits.reshape(rows, classes).logSoftmax(1);
    NDArray picked = logProbabilities.mul(logits.getManager().create(target, new Shape(rows, classes)));
    return picked.sum().mul(-1f / counted);
  }

  private double gradientNorm() {
    double sum = 0;
    for (NDArray array : trained.values()) {
      sum += array.getGradient().square().sum().getFloat();
    }
    return Math.sqrt(sum);
  }

  /** {@code torch.optim.AdamW}'s step, then the gradients zeroed. */
  private void update(double learningRate, double clip) {
    JniUtils.setGradMode(false);
    double correction1 = 1 - Math.pow(optimizer.beta1(), steps);
    double correction2 = 1 - Math.pow(optimizer.beta2(), steps);
    // Coefficients in double, then rounded once: 1 - (float) 0.999 is 1.3e-5 off 0.001.
    float beta1 = (float) optimizer.beta1();
    float beta2 = (float) optimizer.beta2();
    float rest1 = (float) (1 - optimizer.beta1());
    float rest2 = (float) (1 - optimizer.beta2());
    for (Map.Entry<String, NDArray> entry : trained.entrySet()) {
      NDArray parameter = entry.getValue();
      NDArray gradient = parameter.getGradient();
      if (clip != 1) {
        gradient = gradient.mul((float) clip);
      }
      if (decayed.contains(entry.getKey())) {
        parameter.muli((float) (1 - learningRate * optimizer.weightDecay()));
      }
      NDArray[] moment = moments.get(entry.getKey());
      moment[0].muli(beta1).addi(gradient.mul(rest1));
      moment[1].muli(beta2).addi(gradient.square().mul(rest2));
      NDArray denominator = moment[1].sqrt().div((float) Math.sqrt(correction2)).add((float) optimizer.epsilon());
      parameter.subi(moment[0].div(denominator).mul((float) (learningRate / correction1)));
    }
    zeroGradients();
  }

  private void zeroGradients() {
    trained.values().forEach(array -> JniUtils.zeroGrad((PtNDArray) array));
  }

  /**
   * The network's outputs in inference mode (no dropout) on {@code batch}: {@code logits} for validation.
   *
   * @throws IllegalStateException after {@link #close}
   */
  public Tensor logits(BatchEncoding batch) {
    checkOpen();
    JniUtils.setGradMode(false);
    try (NDManager call = manager.newSubManager()) {
      return Tensors.copy(network.forward(LibTorchModel.inputs(call, batch, spec.inputNames())).get(ModelOutput.LOGITS));
    }
  }

  /**
   * Every parameter of the network by checkpoint name, as it stands, with LoRA adapters merged in ({@code W +
   * scaling · B A}): a plain checkpoint of the trained model.
   */
  public Map<String, Tensor> parameters() {
    checkOpen();
    Map<String, Tensor> parameters = new LinkedHashMap<>();
    for (Parameter parameter : spec.parameters()) {
      parameters.put(parameter.name(), Tensors.copy(network.parameter(parameter.name())));
    }
    adapter("").ifPresent(adapter -> parameters.putAll(adapter.mergeInto(Weights.of(origin, parameters)).replaced()));
    return parameters;
  }

  /**
   * The trained adapter in {@code peft}'s form, with the modules to save; empty for full fine-tuning.
   *
   * @param baseModel the base model's id or directory, recorded as {@code base_model_name_or_path}
   */
  public Optional<PeftAdapter> adapter(String baseModel) {
    checkOpen();
    if (loraConfig.isEmpty()) {
      return Optional.empty();
    }
    Map<String, Tensor> saved = new LinkedHashMap<>();
    for (Parameter parameter : loraConfig.get().savedParameters(spec)) {
      saved.put(parameter.name(), Tensors.copy(trained.get(parameter.name())));
    }
    return Optional.of(
        PeftAdapter.of(
            loraConfig.get(), PeftAdapter.taskType(spec.head().task()), baseModel, lora.copies(true),
            lora.copies(false), saved));
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the network is closed");
    }
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      manager.close();
    }
  }
}
