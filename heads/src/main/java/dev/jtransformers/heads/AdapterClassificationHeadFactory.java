package dev.jtransformers.heads;

import dev.jtransformers.api.BatchEncoding;
import dev.jtransformers.api.ModelLoadException;
import dev.jtransformers.api.ModelOutput;
import dev.jtransformers.api.Tensor;
import dev.jtransformers.architectures.Architecture;
import dev.jtransformers.architectures.HeadLayer;
import dev.jtransformers.architectures.HeadSpec;
import dev.jtransformers.architectures.NetworkSpec;
import dev.jtransformers.architectures.OnnxWeights;
import dev.jtransformers.architectures.PeftAdapter;
import dev.jtransformers.architectures.TaskHead;
import dev.jtransformers.architectures.Weights;
import dev.jtransformers.models.ModelConfig;
import dev.jtransformers.models.Pooling;
import dev.jtransformers.models.safetensors.SafetensorsFile;
import dev.jtransformers.spi.Head;
import dev.jtransformers.spi.HeadContext;
import dev.jtransformers.spi.HeadFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code adapter-classification}: the sequence-classification head of a LoRA adapter fine-tuned with {@code peft}'s
 * {@code SEQ_CLS} task ({@code jtransformers fine-tune --lora-rank}), on the model it was trained from, for graphs
 * that end at {@code last_hidden_state} (the adapter merged into the encoder's weights as the model loads). Option
 * {@code path}: the adapter's directory, with the task model's {@code config.json} beside it (labels, class). The
 * head's layers ({@code [CLS]} through BERT's pooler or DistilBERT's pre-classifier, then {@code classifier}) take
 * the adapter's saved modules where it saved them, else the model's weights with the adapter merged in.
 */
public final class AdapterClassificationHeadFactory implements HeadFactory {
  public static final String NAME = "adapter-classification";

  @Override
  public String name() {
    return NAME;
  }

  /**
   * @throws IllegalArgumentException if option {@code path} is missing or another option is given
   * @throws ModelLoadException naming the file, if the adapter, its {@code config.json} or the model's weights
   *     can't be read, or the adapter is no sequence classifier of this model's architecture
   */
  @Override
  public Head create(HeadContext context) {
    HeadOptions options = HeadOptions.of(NAME, context, Set.of("path"));
    Path directory = Path.of(options.require("path"));
    PeftAdapter adapter = PeftAdapter.read(directory);
    ModelConfig task = ModelConfig.load(directory.resolve(ModelConfig.FILE_NAME));
    if (TaskHead.of(task) != TaskHead.SEQUENCE_CLASSIFICATION) {
      throw new ModelLoadException(directory.resolve(ModelConfig.FILE_NAME) + " names " + task.architectures()
          + ", not a sequence classifier this head applies");
    }
    ModelConfig base = ModelConfig.load(context.modelDirectory().resolve(ModelConfig.FILE_NAME));
    HeadSpec head = Architecture.of(task).head(TaskHead.SEQUENCE_CLASSIFICATION, task);
    Map<String, Tensor> saved = adapter.savedParameters();
    try (Opened weights = Opened.of(context.modelDirectory(), NetworkSpec.of(base))) {
      Weights merged = adapter.mergeInto(weights.weights());
      List<DenseLayer> layers =
          head.layers().stream().map(layer -> layer(layer, saved, merged, directory)).toList();
      return new LabelledHead(new ClassificationHead(new PoolingHead(Pooling.CLS, false),
          layers), task.labels());
    }
  }

  private static DenseLayer layer(HeadLayer layer, Map<String, Tensor> saved, Weights merged, Path directory) {
    return DenseLayer.of(
        tensor(layer.linear().weight().name(), saved, merged, directory),
        tensor(layer.linear().bias().name(), saved, merged, directory),
        HuggingFaceClassificationHeadFactory.activation(layer.activation()));
  }

  /** The adapter's saved tensor, else the model's (merged) under the name a bare encoder gives it. */
  private static Tensor tensor(String name, Map<String, Tensor> saved, Weights merged, Path directory) {
    if (saved.containsKey(name)) {
      return saved.get(name);
    }
    int dot = name.indexOf('.');
    for (String candidate : dot < 0 ? List.of(name) : List.of(name, name.substring(dot + 1))) {
      if (merged.names().contains(candidate)) {
        return merged.read(candidate);
      }
    }
    throw new ModelLoadException("the adapter in " + directory + " saves no " + name + " and the model has none");
  }

  /** The model's weights, from {@code model.safetensors} or an ONNX export's initializers, open until closed. */
  private record Opened(Weights weights, Optional<SafetensorsFile> file) implements AutoCloseable {
    static Opened of(Path modelDirectory, NetworkSpec spec) {
      Path safetensors = modelDirectory.resolve("model.safetensors");
      if (Files.isRegularFile(safetensors)) {
        SafetensorsFile file = SafetensorsFile.open(safetensors);
        return new Opened(Weights.of(file), Optional.of(file));
      }
      Path onnx = modelDirectory.resolve("onnx/model.onnx");
      if (!Files.isRegularFile(onnx)) {
        throw new ModelLoadException(modelDirectory + " has neither model.safetensors nor onnx/model.onnx to read the"
            + " adapter's head weights from");
      }
      return new Opened(OnnxWeights.read(onnx, spec), Optional.empty());
    }

    @Override
    public void close() {
      file.ifPresent(SafetensorsFile::close);
    }
  }

  /** A classification head that knows its labels: the adapter's task model's {@code id2label}. */
  private record LabelledHead(ClassificationHead head, List<String> labels) implements Head {
    @Override
    public Tensor apply(ModelOutput output, BatchEncoding batch) {
      return head.apply(output, batch);
    }
  }
}
