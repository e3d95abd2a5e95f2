package dev.jtransformers.pipelines;

import dev.jtransformers.api.Model;
import dev.jtransformers.api.ModelLoadException;
import dev.jtransformers.api.ModelOutput;
import dev.jtransformers.architectures.TaskHead;
import dev.jtransformers.heads.AdapterClassificationHeadFactory;
import dev.jtransformers.heads.BertClassificationHeadFactory;
import dev.jtransformers.heads.DistilBertClassificationHeadFactory;
import dev.jtransformers.heads.HeadRegistry;
import dev.jtransformers.heads.LogitsHeadFactory;
import dev.jtransformers.heads.training.TrainedHeadFactory;
import dev.jtransformers.models.ModelConfig;
import dev.jtransformers.models.ModelResolver;
import dev.jtransformers.spi.BackendOptions;
import dev.jtransformers.spi.Head;
import dev.jtransformers.spi.HeadContext;
import dev.jtransformers.spi.LoadRequest;
import dev.jtransformers.spi.ModelFormat;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * The one way a model is loaded, shared by {@link PipelineFactory} and the {@code Auto*} classes: resolve the id or
 * directory, read its configuration, choose the backend, load the network, and choose its classification head.
 * Thread-safe.
 */
final class ModelLoader {
  /** Classification heads read from {@code model.safetensors}, by the {@code model_type} they fit. */
  private static final Map<String, String> SAFETENSORS_HEADS =
      Map.of("bert", BertClassificationHeadFactory.NAME, "distilbert", DistilBertClassificationHeadFactory.NAME);

  /** The option of the {@code trained} head factory that names the head. */
  private static final String TRAINED_HEAD_PATH = "path";
  /** The heads whose option {@code path} may name an embedded id, resolved like a model's. */
  private static final Set<String> HEADS_WITH_PATHS =
      Set.of(TrainedHeadFactory.NAME, AdapterClassificationHeadFactory.NAME);

  private final Backends backends;
  private final HeadRegistry heads;
  private final ModelResolver resolver;

  ModelLoader(Backends backends, HeadRegistry heads, ModelResolver resolver) {
    this.backends = Objects.requireNonNull(backends, "backends");
    this.heads = Objects.requireNonNull(heads, "heads");
    this.resolver = Objects.requireNonNull(resolver, "resolver");
  }

  /** A loader over the backends and heads on the classpath and the default model cache. */
  static ModelLoader fromServiceLoader() {
    return new ModelLoader(Backends.fromServiceLoader(), HeadRegistry.fromServiceLoader(), new ModelResolver());
  }

  /**
   * The directory of a model id or directory, with its configuration read: embedded models are unpacked, hub models
   * fetched with the weights the backend the options lead to can read.
   */
  Checkpoint checkpoint(String modelIdOrDirectory, LoadOptions options) {
    return Checkpoint.read(resolver.resolve(modelIdOrDirectory, weightFormats(options)));
  }

  /**
   * The formats worth fetching, best first: the one asked for, else the named backend's, else those of every
   * backend present in order of priority, so that {@link Backends#select} picks the same from the result.
   */
  private List<ModelFormat> weightFormats(LoadOptions options) {
    if (options.format().isPresent()) {
      return List.of(options.format().get());
    }
    return backends.all().stream()
        .filter(backend -> options.backend().map(backend.name()::equals).orElse(true))
        .flatMap(backend -> backend.modelFormats().stream())
        .distinct()
        .toList();
  }

  /** The local directory of a head (or model) id or directory, without weights; embedded ones are unpacked. */
  Path resolve(String modelIdOrDirectory) {
    return resolver.resolve(modelIdOrDirectory);
  }

  /**
   * Loads the network on the backend asked for, else the best one that reads it on the device, in the format asked
   * for, else the backend's preferred one; the options' backend settings are validated against the chosen backend.
   *
   * @throws dev.jtransformers.api.BackendException if no backend fits (see {@link Backends#select})
   * @throws IllegalArgumentException if a backend option is unprefixed, unknown to the chosen backend, or malformed
   * @throws ModelLoadException if the network contradicts {@code config.json} (see {@link NetworkProbe})
   */
  Model load(Checkpoint checkpoint, LoadOptions options) {
    Backends.Selection chosen =
        backends.select(options.backend(), options.format(), checkpoint.directory(), options.device());
    LoadRequest.Builder request =
        LoadRequest.builder(checkpoint.directory(), chosen.format())
            .config(checkpoint.config().toMap())
            .device(options.device())
            .intraOpThreads(options.intraOpThreads())
            .interOpThreads(options.interOpThreads())
            .options(BackendOptions.parse(chosen.backend(), options.backendOptions()))
            .cacheDirectory(resolver.cache().root());
    options.adapter().ifPresent(adapter -> request.adapter(resolve(adapter)));
    Model model = chosen.backend().load(request.build());
    try {
      NetworkProbe.check(checkpoint, model);
      return model;
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  /**
   * Loads a model's network as {@link #load} does and wraps it, as the {@code Auto*} classes do; the network is
   * closed if wrapping fails (e.g. the model has no head for the class).
   */
  <T> T loadWrapped(String modelIdOrDirectory, LoadOptions options, BiFunction<Checkpoint, Model, T> wrap) {
    Objects.requireNonNull(options, "options");
    Checkpoint checkpoint = checkpoint(modelIdOrDirectory, options);
    Model model = load(checkpoint, options);
    try {
      return wrap.apply(checkpoint, model);
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  /**
   * The head of that factory name, for this checkpoint. A trained head's {@code path} may name an embedded head id
   * as well as a directory, as a model may.
   */
  Head head(String type, Checkpoint checkpoint, Map<String, String> options) {
    Map<String, String> resolved = options;
    if (HEADS_WITH_PATHS.contains(type) && options.containsKey(TRAINED_HEAD_PATH)) {
      resolved = new HashMap<>(options);
      resolved.put(TRAINED_HEAD_PATH, resolve(options.get(TRAINED_HEAD_PATH)).toString());
    }
    return heads.create(type, new HeadContext(checkpoint.directory(), resolved));
  }

  /** The head of a LoRA adapter fine-tuned for sequence classification, from its directory or embedded id. */
  Head adapterHead(String adapterIdOrDirectory, Checkpoint checkpoint) {
    return head(AdapterClassificationHeadFactory.NAME, checkpoint, Map.of(TRAINED_HEAD_PATH, adapterIdOrDirectory));
  }

  /** A head trained by this project ({@code train-head}), from its directory or embedded id. */
  Head trainedHead(String headIdOrDirectory, Checkpoint checkpoint) {
    return head(TrainedHeadFactory.NAME, checkpoint, Map.of(TRAINED_HEAD_PATH, headIdOrDirectory));
  }

  /**
   * The class names of a classification head's logits: the head's own when it has them (a trained head), else the
   * model's {@code id2label}.
   */
  static List<String> labels(Checkpoint checkpoint, Head head) {
    return head.labels().isEmpty() ? checkpoint.config().labels() : head.labels();
  }

  /**
   * The head that turns the model's outputs into classification logits: the graph's own {@code logits} when it
   * ends in its classifier, else a {@code *ForSequenceClassification} head read from the checkpoint's weights.
   *
   * @throws ModelLoadException if the model has neither
   */
  Head classificationHead(Checkpoint checkpoint, Model model) {
    if (model.outputNames().contains(ModelOutput.LOGITS)) {
      return head(LogitsHeadFactory.NAME, checkpoint, Map.of());
    }
    ModelConfig config = checkpoint.config();
    boolean classifier = config.architectures().stream().anyMatch(a -> a.endsWith("ForSequenceClassification"));
    String headType = SAFETENSORS_HEADS.get(config.modelType());
    if (classifier && headType != null) {
      return head(headType, checkpoint, Map.of());
    }
    throw new ModelLoadException(
        "model in " + checkpoint.directory() + " has no classification head (its graph outputs " + model.outputNames()
            + " and config.json names " + config.architectures() + "); give a head, e.g. one trained with"
            + " 'jtransformers train-head'");
  }

  /**
   * Checks that a model was built for a task: its {@code config.json} names an architecture with that head (e.g.
   * {@code BertForTokenClassification}) and its network returns the head's first output.
   *
   * @param user what needs the head, for the message: a task or an {@code Auto*} class
   * @throws ModelLoadException naming the architecture found, if the model has another head or none
   */
  static void requireHead(Checkpoint checkpoint, Model model, TaskHead head, String user) {
    List<String> architectures = checkpoint.config().architectures();
    TaskHead found = TaskHead.of(checkpoint.config());
    if (found != head) {
      throw new ModelLoadException(user + " needs a model with a *" + head.classSuffix() + " head, but config.json in "
          + checkpoint.directory() + " names "
          + (architectures.isEmpty() ? "no architecture (a bare encoder)" : architectures.get(0)));
    }
    String output = head.outputNames().get(0);
    if (!model.outputNames().contains(output)) {
      throw new ModelLoadException(user + " needs the " + output + " output of " + architectures.get(0) + ", but the"
          + " network in " + checkpoint.directory() + " returns " + model.outputNames());
    }
  }
}
