package dev.jtransformers.backend.pytorch;

import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import dev.jtransformers.api.BackendException;
import dev.jtransformers.api.BatchEncoding;
import dev.jtransformers.api.Device;
import dev.jtransformers.api.Encoding;
import dev.jtransformers.api.Model;
import dev.jtransformers.api.ModelLoadException;
import dev.jtransformers.architectures.Network;
import dev.jtransformers.architectures.NetworkSpec;
import dev.jtransformers.architectures.PeftAdapter;
import dev.jtransformers.architectures.TaskHead;
import dev.jtransformers.models.ModelConfig;
import dev.jtransformers.spi.Backend;
import dev.jtransformers.spi.LoadRequest;
import dev.jtransformers.spi.ModelFormat;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Runs models on libtorch through DJL's PyTorch engine, from three formats:
 *
 * <ul>
 *   <li>{@link ModelFormat#TORCHSCRIPT} ({@code model.pt}, traced from a Hugging Face model): positional inputs
 *       {@code input_ids, attention_mask[, token_type_ids]} as {@code config.json}'s architecture takes them, the
 *       returned tuple named by the checkpoint's task head.
 *   <li>{@link ModelFormat#SAFETENSORS} ({@code model.safetensors} + {@code config.json}): the built-in BERT or
 *       DistilBERT network of {@code architectures} with its task head, on libtorch operators.
 *   <li>{@link ModelFormat#ONNX}: the same built-in network with the weights of an ONNX export's initializers, so
 *       that models shipped for ONNX Runtime (the embedded all-MiniLM-L6-v2) run here too.
 * </ul>
 *
 * A LoRA adapter ({@link LoadRequest#adapter}) is merged into the built-in networks' weights as they load.
 * Every format needs the model's {@code config.json}. CPU only with {@code ai.djl.pytorch:pytorch-native-cpu};
 * {@code cuda:N} needs a CUDA build of libtorch in its place. Discovery is cheap: libtorch starts on the first {@link
 * #load} (see {@link LibTorch} for telemetry, downloads and where it is unpacked).
 */
public final class PyTorchBackend implements Backend {
  /** What CUDA devices need when only the CPU build of libtorch is at hand. */
  private static final String CUDA_BUILD_HINT =
      "put a CUDA build of libtorch (ai.djl.pytorch:pytorch-native-cu128:2.7.1 with its linux-x86_64 classifier, not"
          + " in the Maven repository this project builds from) in place of ai.djl.pytorch:pytorch-native-cpu, on a"
          + " machine with CUDA 12.8";

  /** Creates the backend; loads nothing native. */
  public PyTorchBackend() {}

  @Override
  public String name() {
    return "pytorch";
  }

  @Override
  public String artifact() {
    return "dev.jtransformers:jtransformers-backend-pytorch";
  }

  /** Below ONNX Runtime's: where both can load a model, the faster one is chosen unless this one is named. */
  @Override
  public int priority() {
    return 50;
  }

  @Override
  public Set<Device.Type> supportedDevices() {
    return hasCudaBuild() ? EnumSet.of(Device.Type.CPU, Device.Type.CUDA) : EnumSet.of(Device.Type.CPU);
  }

  /** For a CUDA device with only the CPU build of libtorch at hand: use a CUDA build. */
  @Override
  public Optional<String> deviceHint(Device device) {
    Objects.requireNonNull(device, "device");
    return device.type() == Device.Type.CUDA && !hasCudaBuild() ? Optional.of(CUDA_BUILD_HINT) : Optional.empty();
  }

  @Override
  public List<ModelFormat> modelFormats() {
    return List.of(ModelFormat.TORCHSCRIPT, ModelFormat.SAFETENSORS, ModelFormat.ONNX);
  }

  @Override
  public Model load(LoadRequest request) {
    Objects.requireNonNull(request, "request");
    Path file = requireModelFile(request);
    NetworkSpec spec = networkSpec(request);
    if (request.adapter().isPresent() && request.format() == ModelFormat.TORCHSCRIPT) {
      throw new ModelLoadException(
          file + ": a TorchScript module's weights cannot take an adapter; load the model's safetensors or ONNX"
              + " weights to merge " + request.adapter().get() + " into");
    }
    Optional<PeftAdapter> adapter = request.adapter().map(PeftAdapter::read);
    ai.djl.Device device = device(request.device());
    Engine engine = LibTorch.engine(request.cacheDirectory(), request.intraOpThreads(), request.interOpThreads());
    NDManager manager = engine.newBaseManager(device);
    try {
      return switch (request.format()) {
        case TORCHSCRIPT -> loadTorchScript(manager, file, spec);
        case SAFETENSORS, ONNX -> new BuiltInModel(
            manager, file, Network.load(spec, NdArrayOps.forInference(manager), request.format(), file, adapter));
        default -> throw new IllegalStateException("unreachable: " + request.format());
      };
    } catch (EngineException e) {
      closeAfterFailure(manager, e);
      throw new ModelLoadException("libtorch cannot load " + file + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      closeAfterFailure(manager, e);
      throw e;
    }
  }

  /**
   * Loads the module and runs it once on a two-token input, which checks that it takes this architecture's inputs
   * and counts its outputs, named then by the task head.
   */
  private static Model loadTorchScript(NDManager manager, Path file, NetworkSpec spec) {
    PtSymbolBlock module = JniUtils.loadModule((PtNDManager) manager, file, true, new String[0], new String[0], false);
    int outputs;
    try (NDManager probe = manager.newSubManager()) {
      Map<String, NDArray> inputs = LibTorchModel.inputs(probe, probeBatch(), spec.inputNames());
      NDList results = TorchScriptModel.forward(module, inputs);
      outputs = results.size();
    } catch (EngineException e) {
      throw new ModelLoadException(
          file + " does not run on the inputs " + spec.inputNames() + " that a " + spec.className()
              + " takes, in that order: " + e.getMessage(), e);
    }
    List<String> positions = IntStream.range(0, outputs).mapToObj(i -> "output_" + i).toList();
    List<String> names = List.copyOf(spec.head().task().assignOutputNames(positions).values());
    return new TorchScriptModel(manager, file, spec.inputNames(), module, names);
  }

  /** {@code [PAD] [PAD]}, attended: token 0 is in every vocabulary. */
  private static BatchEncoding probeBatch() {
    int[] two = {0, 0};
    return BatchEncoding.of(
        List.of(
            Encoding.of(
                two, two, new String[] {"", ""}, new int[4], two, new int[] {1, 1},
                new int[] {Encoding.NO_WORD, Encoding.NO_WORD}, List.of())));
  }

  /** The network {@code config.json} describes; every format needs it (TorchScript for its inputs and outputs). */
  private static NetworkSpec networkSpec(LoadRequest request) {
    if (request.config().isEmpty()) {
      throw new ModelLoadException(
          request.modelDirectory() + " has no " + ModelConfig.FILE_NAME + ", which the pytorch backend needs for "
              + request.format() + " models");
    }
    try {
      return NetworkSpec.of(ModelConfig.fromMap(request.config()));
    } catch (ModelLoadException e) {
      throw new ModelLoadException(request.modelDirectory() + ": " + e.getMessage(), e);
    }
  }

  private static ai.djl.Device device(Device device) {
    if (device.type() == Device.Type.CPU) {
      return ai.djl.Device.cpu();
    }
    if (!hasCudaBuild()) {
      throw new BackendException("device " + device + " needs a CUDA build of libtorch: " + CUDA_BUILD_HINT);
    }
    return ai.djl.Device.gpu(device.index());
  }

  private static boolean hasCudaBuild() {
    return LibTorch.flavor().filter(flavor -> flavor.startsWith("cu")).isPresent();
  }

  private static void closeAfterFailure(NDManager manager, Exception failure) {
    try {
      manager.close();
    } catch (RuntimeException e) {
      failure.addSuppressed(e);
    }
  }
}
