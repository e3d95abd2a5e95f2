package dev.jtransformers.backend.tensorflow;

import dev.jtransformers.api.BackendException;
import dev.jtransformers.api.BatchEncoding;
import dev.jtransformers.api.Encoding;
import dev.jtransformers.api.InvalidInputException;
import dev.jtransformers.api.Model;
import dev.jtransformers.api.ModelOutput;
import dev.jtransformers.api.Tensor;
import dev.jtransformers.architectures.NetworkSpec;
import dev.jtransformers.spi.OpenGuard;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * A model running in one TensorFlow session, which serves concurrent callers (a session's {@code run} is
 * thread-safe): a built-in graph or a SavedModel's {@code serving_default} signature. Feeds the inputs by their graph
 * tensor names and returns the float outputs under Hugging Face's names, copied into {@link Tensor}s; every native
 * tensor, fed or fetched, is closed before {@link #forward} returns.
 */
final class TensorFlowModel implements Model {
  /**
   * A graph input and how to feed it.
   *
   * @param name the model input it takes: {@code input_ids}, {@code attention_mask} or {@code token_type_ids}
   * @param tensor the graph tensor to feed, e.g. {@code serving_default_input_ids:0}
   * @param int32 whether it takes int32 (else int64)
   * @param shape the declared {@code [batch, sequence]}, -1 where any length goes
   */
  record Input(String name, String tensor, boolean int32, long[] shape) {}

  private final String description;
  private final Session session;
  private final List<Input> inputs;
  private final Map<String, String> outputs; // graph tensor -> output name
  private final Set<String> outputNames;
  private final Runnable release;
  private final OpenGuard guard;

  /**
   * @param description what runs, for messages, e.g. the checkpoint's path
   * @param outputs each output's name keyed by the graph tensor it is fetched from, in the order returned
   * @param release frees the session and whatever owns it (graph, SavedModel), once, when the model is closed
   */
  TensorFlowModel(
      String description, Session session, List<Input> inputs, Map<String, String> outputs, Runnable release) {
    this.description = description;
    this.guard = new OpenGuard("the model " + description);
    this.session = session;
    this.inputs = List.copyOf(inputs);
    this.outputs = Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
    this.outputNames = Collections.unmodifiableSet(new LinkedHashSet<>(outputs.values()));
    this.release = release;
  }

  @Override
  public ModelOutput forward(BatchEncoding batch) {
    Objects.requireNonNull(batch, "batch");
    return guard.whileOpen(() -> run(batch));
  }

  private ModelOutput run(BatchEncoding batch) {
    Shape shape = Shape.of(batch.size(), batch.sequenceLength());
    List<org.tensorflow.Tensor> fed = new ArrayList<>(inputs.size());
    try {
      Session.Runner runner = session.runner();
      for (Input input : inputs) {
        requireShape(input, shape);
        org.tensorflow.Tensor tensor = tensor(input, batch, shape);
        fed.add(tensor);
        runner.feed(input.tensor(), tensor);
      }
      outputs.keySet().forEach(runner::fetch);
      try (Result result = runner.run()) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        int index = 0;
        for (String name : outputs.values()) {
          tensors.put(name, copy((TFloat32) result.get(index++)));
        }
        return ModelOutput.of(tensors);
      }
    } catch (TensorFlowException e) {
      throw new BackendException("TensorFlow failed running " + description + ": " + e.getMessage(), e);
    } finally {
      fed.forEach(org.tensorflow.Tensor::close);
    }
  }

  /** Rejects a batch that a graph with fixed dimensions (e.g. exported for inputs of 128 tokens) can't take. */
  private void requireShape(Input input, Shape shape) {
    for (int axis = 0; axis < input.shape().length; axis++) {
      if (input.shape()[axis] >= 0 && input.shape()[axis] != shape.get(axis)) {
        throw new InvalidInputException(
            description + " takes " + input.name() + " of shape " + Arrays.toString(input.shape()) + " (-1: any), got "
                + shape);
      }
    }
  }

  /** The input's values for the batch, {@code [batch, sequence]}, in the graph's integer type. */
  private static org.tensorflow.Tensor tensor(Input input, BatchEncoding batch, Shape shape) {
    int length = batch.sequenceLength();
    if (input.int32()) {
      int[] values = new int[Math.multiplyExact(batch.size(), length)];
      int row = 0;
      for (Encoding encoding : batch.encodings()) {
        System.arraycopy(values(input, encoding), 0, values, length * row++, length);
      }
      return TInt32.tensorOf(shape, DataBuffers.of(values, true, false));
    }
    long[] values = new long[Math.multiplyExact(batch.size(), length)];
    int offset = 0;
    for (Encoding encoding : batch.encodings()) {
      for (int value : values(input, encoding)) {
        values[offset++] = value;
      }
    }
    return TInt64.tensorOf(shape, DataBuffers.of(values, true, false));
  }

  private static int[] values(Input input, Encoding encoding) {
    return switch (input.name()) {
      case NetworkSpec.INPUT_IDS -> encoding.ids();
      case NetworkSpec.ATTENTION_MASK -> encoding.attentionMask();
      case NetworkSpec.TOKEN_TYPE_IDS -> encoding.typeIds();
      default -> throw new IllegalStateException("no values for input " + input.name()); // SavedModels check names
    };
  }

  private static Tensor copy(TFloat32 tensor) {
    long[] dimensions = tensor.shape().asArray();
    int[] shape = new int[dimensions.length];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = Math.toIntExact(dimensions[i]);
    }
    float[] values = new float[Math.toIntExact(tensor.size())];
    tensor.copyTo(DataBuffers.of(values, false, false));
    return Tensor.wrap(values, shape);
  }

  @Override
  public Set<String> outputNames() {
    return outputNames;
  }

  @Override
  public void close() {
    guard.close(release);
  }

  @Override
  public String toString() {
    return "TensorFlowModel[" + description + ", outputs " + outputNames + "]";
  }
}
