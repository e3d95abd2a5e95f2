package dev.jtransformers.backend.pytorch;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.jtransformers.api.BackendException;
import dev.jtransformers.api.BatchEncoding;
import dev.jtransformers.api.Encoding;
import dev.jtransformers.api.Model;
import dev.jtransformers.api.ModelOutput;
import dev.jtransformers.api.Tensor;
import dev.jtransformers.architectures.NetworkSpec;
import dev.jtransformers.spi.OpenGuard;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * A network on libtorch, whatever built it: the inputs of each call and everything computed from them live in a
 * manager of that call, closed before {@link #forward} returns, with the outputs copied into {@link Tensor}s. The
 * model's own native memory (weights, a TorchScript module) lives in its manager until {@link #close}. Forwards run
 * concurrently; close waits for them.
 */
abstract class LibTorchModel implements Model {
  private final NDManager manager;
  private final Path file;
  private final List<String> inputNames;
  private final OpenGuard guard;

  /**
   * @param manager the model's native memory, closed with it
   * @param file what the network was read from, for messages
   * @param inputNames the inputs the network takes, in order ({@link NetworkSpec#inputNames()})
   */
  LibTorchModel(NDManager manager, Path file, List<String> inputNames) {
    this.manager = manager;
    this.file = file;
    this.guard = new OpenGuard("the model " + file);
    this.inputNames = List.copyOf(inputNames);
  }

  /** Runs the network on inputs named by {@link NetworkSpec#inputNames()}, in that order; outputs by name. */
  abstract Map<String, NDArray> run(Map<String, NDArray> inputs);

  /** The file the network was read from. */
  final Path file() {
    return file;
  }

  @Override
  public final ModelOutput forward(BatchEncoding batch) {
    Objects.requireNonNull(batch, "batch");
    return guard.whileOpen(() -> {
      try (NDManager call = manager.newSubManager()) {
        Map<String, Tensor> outputs = new LinkedHashMap<>();
        run(inputs(call, batch, inputNames)).forEach((name, array) -> outputs.put(name, Tensors.copy(array)));
        return ModelOutput.of(outputs);
      } catch (EngineException e) {
        throw new BackendException("libtorch failed running " + file + ": " + e.getMessage(), e);
      }
    });
  }

  /** The batch's tensors in {@code call}, int64 {@code [batch, sequence]}, named and ordered as {@code inputNames}. */
  static Map<String, NDArray> inputs(NDManager call, BatchEncoding batch, List<String> inputNames) {
    Map<String, NDArray> inputs = new LinkedHashMap<>();
    for (String name : inputNames) {
      inputs.put(name, call.create(values(batch, source(name)), new Shape(batch.size(), batch.sequenceLength())));
    }
    return inputs;
  }

  private static Function<Encoding, int[]> source(String input) {
    return switch (input) {
      case NetworkSpec.INPUT_IDS -> Encoding::ids;
      case NetworkSpec.ATTENTION_MASK -> Encoding::attentionMask;
      case NetworkSpec.TOKEN_TYPE_IDS -> Encoding::typeIds;
      default -> throw new IllegalArgumentException("no values for input " + input);
    };
  }

  private static long[] values(BatchEncoding batch, Function<Encoding, int[]> source) {
    long[] values = new long[Math.multiplyExact(batch.size(), batch.sequenceLength())];
    int next = 0;
    for (Encoding encoding : batch.encodings()) {
      for (int value : source.apply(encoding)) {
        values[next++] = value;
      }
    }
    return values;
  }


  @Override
  public final void close() {
    guard.close(manager::close);
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + file + ", outputs " + outputNames() + "]";
  }
}
