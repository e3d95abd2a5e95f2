package dev.jtransformers.finetuning;

import dev.jtransformers.api.ModelLoadException;
import dev.jtransformers.api.Tensor;
import dev.jtransformers.architectures.Architecture;
import dev.jtransformers.architectures.NetworkSpec;
import dev.jtransformers.architectures.OnnxWeights;
import dev.jtransformers.architectures.Parameter;
import dev.jtransformers.architectures.TaskHead;
import dev.jtransformers.architectures.Weights;
import dev.jtransformers.models.ModelConfig;
import dev.jtransformers.models.safetensors.SafetensorsFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model fine-tuning starts from: a checkpoint directory's weights ({@code model.safetensors}, else the
 * initializers of {@code onnx/model.onnx} or {@code model.onnx}) under the names of the task model it becomes. As
 * {@code transformers}' {@code from_pretrained} does, a bare encoder's tensors ({@code encoder.layer.0...}) take the
 * task model's prefix ({@code bert.encoder.layer.0...}), and a head the checkpoint lacks, or has for other labels,
 * starts afresh: weights normal with {@code initializer_range}, biases zero.
 */
final class StartingModel {
  private static final Logger LOG = LoggerFactory.getLogger(StartingModel.class);
  private static final double DEFAULT_INITIALIZER_RANGE = 0.02;

  private final ModelConfig config;
  private final NetworkSpec spec;
  private final Weights weights;

  private StartingModel(ModelConfig config, NetworkSpec spec, Weights weights) {
    this.config = config;
    this.spec = spec;
    this.weights = weights;
  }

  /**
   * The task model {@code directory} starts, with {@code labels} for its head.
   *
   * @throws ModelLoadException naming the directory, if it has no config, no weights this module reads, or weights
   *     that do not fit the config
   */
  static StartingModel open(Path directory, FineTuningTask task, List<String> labels, long seed) {
    ModelConfig source = ModelConfig.load(directory.resolve(ModelConfig.FILE_NAME));
    Architecture architecture = Architecture.of(source);
    ModelConfig target =
        source.withArchitectures(List.of(architecture.className(task.head()))).withLabels(labels);
    NetworkSpec spec = NetworkSpec.of(target);
    boolean sameHead = TaskHead.of(source) == task.head() && source.labels().size() == labels.size();
    double range = source.get("initializer_range").map(node -> node.asDouble()).orElse(DEFAULT_INITIALIZER_RANGE);
    Random random = new Random(seed);
    Path safetensors = directory.resolve("model.safetensors");
    if (Files.isRegularFile(safetensors)) {
      try (SafetensorsFile file = SafetensorsFile.open(safetensors)) {
        return new StartingModel(target, spec, renamed(spec, Weights.of(file), sameHead, range, random));
      }
    }
    Path onnx = List.of(directory.resolve("onnx/model.onnx"), directory.resolve("model.onnx")).stream()
        .filter(Files::isRegularFile).findFirst()
        .orElseThrow(() -> new ModelLoadException(
            directory + " has neither model.safetensors nor onnx/model.onnx to fine-tune"));
    Weights stored = OnnxWeights.read(onnx, NetworkSpec.of(source));
    return new StartingModel(target, spec, renamed(spec, stored, sameHead, range, random));
  }

  /** The stored tensors under the task model's names; fresh ones for the head it lacks (or must replace). */
  private static Weights renamed(NetworkSpec spec, Weights stored, boolean sameHead, double range, Random random) {
    String prefix = spec.architecture().checkpointPrefix(spec.head().task());
    List<String> head = spec.head().parameters().stream().map(Parameter::name).toList();
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    for (Parameter parameter : spec.parameters()) {
      String name = parameter.name();
      boolean fresh = head.contains(name) && !name.startsWith(prefix) && !sameHead; // classifier.*, not the pooler
      Optional<String> storedName = fresh ? Optional.empty() : stored(name, prefix, stored);
      if (storedName.isPresent()) {
        tensors.put(name, stored.read(storedName.get()));
      } else {
        LOG.info("{} starts afresh", parameter);
        tensors.put(name, initialised(parameter, range, random));
      }
    }
    return Weights.of(stored.path(), tensors);
  }

  private static Optional<String> stored(String name, String prefix, Weights stored) {
    if (stored.names().contains(name)) {
      return Optional.of(name);
    }
    String bare = name.startsWith(prefix) ? name.substring(prefix.length()) : name;
    return stored.names().contains(bare) ? Optional.of(bare) : Optional.empty();
  }

  /** {@code _init_weights}: a linear weight normal(0, range), a bias zero, a layer-norm weight one. */
  private static Tensor initialised(Parameter parameter, double range, Random random) {
    int[] shape = parameter.shape();
    int size = 1;
    for (int dimension : shape) {
      size = Math.multiplyExact(size, dimension);
    }
    float[] values = new float[size];
    if (shape.length == 2) {
      for (int i = 0; i < size; i++) {
        values[i] = (float) (random.nextGaussian() * range);
      }
    } else if (parameter.name().endsWith("LayerNorm.weight") || parameter.name().endsWith("layer_norm.weight")) {
      Arrays.fill(values, 1f);
    }
    return Tensor.wrap(values, shape);
  }

  /** The task model's configuration: its class in {@code architectures}, the labels in {@code id2label}. */
  ModelConfig config() {
    return config;
  }

  NetworkSpec spec() {
    return spec;
  }

  /** The starting weights under the task model's names, in memory. */
  Weights weights() {
    return weights;
  }
}
