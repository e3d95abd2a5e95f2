package dev.jtransformers.heads.training;

import dev.jtransformers.api.BatchEncoding;
import dev.jtransformers.api.ModelLoadException;
import dev.jtransformers.api.ModelOutput;
import dev.jtransformers.api.Tensor;
import dev.jtransformers.heads.ClassificationHead;
import dev.jtransformers.heads.DenseLayer;
import dev.jtransformers.heads.PoolingHead;
import dev.jtransformers.models.safetensors.SafetensorsFile;
import dev.jtransformers.spi.Head;
import dev.jtransformers.models.safetensors.SafetensorsWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A head trained on a frozen encoder's pooled vectors, and the one definition of how such a head is saved: a
 * directory holding {@value #CONFIG_FILE} (a {@link HeadConfig}) and {@value #WEIGHTS_FILE}, whose layer {@code i}
 * is {@code layers.i.weight} {@code [outputs, inputs]} and {@code layers.i.bias} {@code [outputs]} in float32, as
 * {@code torch.nn.Linear} stores them. Immutable.
 */
public final class TrainedHead implements Head {
  public static final String CONFIG_FILE = "head_config.json";
  public static final String WEIGHTS_FILE = "head.safetensors";

  private final HeadConfig config;
  private final ClassificationHead head;

  private TrainedHead(HeadConfig config, ClassificationHead head) {
    this.config = config;
    this.head = head;
  }

  /**
   * Assembles a head from its configuration and layers.
   *
   * @param layers the layers {@link TrainingOptions#layerWidths} describes for the configuration
   */
  static TrainedHead of(HeadConfig config, List<DenseLayer> layers) {
    TrainingOptions options = config.options();
    PoolingHead pooling = new PoolingHead(options.pooling(), options.normalize());
    return new TrainedHead(config, new ClassificationHead(pooling, layers));
  }

  /** What the head is and how it was trained. */
  public HeadConfig config() {
    return config;
  }

  /** The head to put after the encoder: pooling as in training, then the layers; logits {@code [batch, labels]}. */
  public ClassificationHead head() {
    return head;
  }

  /** What its pooling reads. */
  @Override
  public Set<String> requiredOutputs() {
    return head.requiredOutputs();
  }

  /** Pools the encoder's output as in training, then applies the layers: logits {@code [batch, labels]}. */
  @Override
  public Tensor apply(ModelOutput output, BatchEncoding batch) {
    return head.apply(output, batch);
  }

  /** The label names, by label id. */
  @Override
  public List<String> labels() {
    return config.options().labels();
  }

  /**
   * The logits {@code [rows, labels]} for pooled vectors like those the head was trained on.
   *
   * @throws IllegalArgumentException if the vectors don't have {@link HeadConfig#inputDim()} values
   */
  public Tensor logits(float[][] features) {
    return head.logits(Tensor.of(features));
  }

  /**
   * Saves the head into {@code directory} (created if needed), replacing a head saved there before.
   *
   * @throws UncheckedIOException naming the file, if it can't be written
   */
  public void save(Path directory) {
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    for (int i = 0; i < head.layers().size(); i++) {
      tensors.put(layerPrefix(i) + ".weight", head.layers().get(i).weight());
      tensors.put(layerPrefix(i) + ".bias", head.layers().get(i).bias());
    }
    try {
      Files.createDirectories(directory);
      SafetensorsWriter.write(directory.resolve(WEIGHTS_FILE), tensors, Map.of());
      config.write(directory.resolve(CONFIG_FILE));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save the head in " + directory, e);
    }
  }

  /**
   * Loads a head saved by {@link #save}.
   *
   * @throws ModelLoadException naming the file, if the directory or a file is missing, malformed, of another format
   *     version, or the weights don't have the shapes the configuration implies
   */
  public static TrainedHead load(Path directory) {
    Objects.requireNonNull(directory, "directory");
    if (!Files.isDirectory(directory)) {
      throw new ModelLoadException(directory + ": no such head directory");
    }
    HeadConfig config = HeadConfig.read(directory.resolve(CONFIG_FILE));
    TrainingOptions options = config.options();
    int[] widths = options.layerWidths(config.inputDim());
    int layerCount = widths.length - 1;
    List<DenseLayer> layers = new ArrayList<>();
    try (SafetensorsFile weights = SafetensorsFile.open(directory.resolve(WEIGHTS_FILE))) {
      for (int i = 0; i < layerCount; i++) {
        layers.add(
            DenseLayer.read(weights, layerPrefix(i), widths[i], widths[i + 1], options.layerActivation(i, layerCount)));
      }
      Set<String> names = weights.names();
      if (names.size() != 2 * layerCount) {
        throw new ModelLoadException(
            weights.path() + ": a " + options.headType().configName() + " head has " + 2 * layerCount
                + " tensors, found " + names);
      }
    }
    return of(config, layers);
  }

  /** Layer {@code i} is {@code layers.<i>.weight} and {@code layers.<i>.bias} in {@value #WEIGHTS_FILE}. */
  private static String layerPrefix(int layer) {
    return "layers." + layer;
  }

  @Override
  public String toString() {
    return "TrainedHead[" + config.options().headType().configName() + ", " + config.inputDim() + " -> "
        + labels() + ", validation sentence accuracy " + config.validation().sentenceAccuracy() + ", softmax baseline "
        + config.baseline().sentenceAccuracy() + "]";
  }
}
