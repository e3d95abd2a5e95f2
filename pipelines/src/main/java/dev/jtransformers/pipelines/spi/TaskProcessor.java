package dev.jtransformers.pipelines.spi;

import dev.jtransformers.api.Encoding;
import dev.jtransformers.api.TextInput;
import dev.jtransformers.spi.Head;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * A task's work around one loaded model, in the shape of Python's {@code ChunkPipeline}: each input becomes one or
 * more chunks, the pipeline batches the chunks of all inputs together by length and runs the model and {@link
 * #head()}, and post-processing sees each input with all of its chunks. Immutable and thread-safe.
 *
 * @param <O> the result for one input
 */
public interface TaskProcessor<O> {

  /**
   * The encodings an input runs as, unpadded: one for most tasks, overlapping windows or candidate pairs for others.
   *
   * @param options the pipeline's options with this call's parameters put over them
   * @throws dev.jtransformers.api.InvalidInputException if the input can't be encoded for the model (e.g. too long
   *     with truncation off)
   */
  List<Encoding> preprocess(TextInput input, TaskOptions options);

  /** Turns the model's outputs for a batch of chunks into the tensor post-processing reads, batch first. */
  Head head();

  /**
   * One input's result.
   *
   * @param chunks the input's chunks with their outputs, in {@link #preprocess} order
   * @param options the pipeline's options with this call's parameters put over them
   */
  O postprocess(TextInput input, List<Chunk> chunks, TaskOptions options);

  /**
   * A processor for a task that runs each input as one chunk, encoded as the pipeline encodes by default.
   *
   * @param result the result of an input from its one chunk and the call's options
   */
  static <O> TaskProcessor<O> singleChunk(
      TaskContext context, Head head, BiFunction<Chunk, TaskOptions, O> result) {
    Objects.requireNonNull(context, "context");
    Objects.requireNonNull(head, "head");
    Objects.requireNonNull(result, "result");
    return new TaskProcessor<>() {
      @Override
      public List<Encoding> preprocess(TextInput input, TaskOptions options) {
        return List.of(context.encode(input));
      }

      @Override
      public Head head() {
        return head;
      }

      @Override
      public O postprocess(TextInput input, List<Chunk> chunks, TaskOptions options) {
        return result.apply(chunks.get(0), options);
      }
    };
  }
}
