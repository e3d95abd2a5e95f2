package dev.jtransformers.pipelines;

import dev.jtransformers.api.BatchEncoding;
import dev.jtransformers.api.EncodeOptions;
import dev.jtransformers.api.Encoding;
import dev.jtransformers.api.InvalidInputException;
import dev.jtransformers.api.Model;
import dev.jtransformers.api.Tensor;
import dev.jtransformers.api.TextInput;
import dev.jtransformers.api.Tokenizer;
import dev.jtransformers.pipelines.spi.Chunk;
import dev.jtransformers.pipelines.spi.Task;
import dev.jtransformers.pipelines.spi.TaskOptions;
import dev.jtransformers.pipelines.spi.TaskRequest;
import dev.jtransformers.pipelines.spi.TaskProcessor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * A task's processor around a model, with the batching policy, in the shape of Python's {@code ChunkPipeline}: each
 * input is pre-processed once into its chunks; the chunks of all inputs are sorted by token count and cut into
 * batches, each padded to its own longest chunk; after the model and head, each input is post-processed with all of
 * its chunks, and results come back in input order. Short chunks so never pay for long ones.
 */
final class ChunkPipeline<O> implements TaskPipeline<O> {
  private static final EncodeOptions PAD_TO_LONGEST =
      EncodeOptions.builder().padding(EncodeOptions.Padding.LONGEST).build();

  private final Task<O> task;
  private final TaskOptions options;
  private final Tokenizer tokenizer;
  private final Model model;
  private final TaskProcessor<O> processor;
  private final int batchSize;
  private final int maxLength;
  private final boolean sortByLength;

  /**
   * @param options the pipeline's task options, which each call's parameters override
   * @param batchSize chunks per model call
   * @param maxLength the most tokens per chunk
   * @param sortByLength whether to batch chunks of similar length together
   */
  ChunkPipeline(
      Task<O> task,
      TaskOptions options,
      Tokenizer tokenizer,
      Model model,
      TaskProcessor<O> processor,
      int batchSize,
      int maxLength,
      boolean sortByLength) {
    this.task = task;
    this.options = options;
    this.tokenizer = tokenizer;
    this.model = model;
    this.processor = processor;
    this.batchSize = batchSize;
    this.maxLength = maxLength;
    this.sortByLength = sortByLength;
  }

  @Override
  public O apply(TextInput input) {
    return applyAll(List.of(Objects.requireNonNull(input, "input"))).get(0);
  }

  @Override
  public List<O> applyAll(List<TextInput> inputs) {
    Objects.requireNonNull(inputs, "inputs");
    List<TaskOptions> perInput = new ArrayList<>(inputs.size());
    for (int i = 0; i < inputs.size(); i++) {
      perInput.add(options);
    }
    return run(inputs, perInput);
  }

  @Override
  public Task<O> task() {
    return task;
  }

  @Override
  public Tokenizer tokenizer() {
    return tokenizer;
  }

  @Override
  public int maxLength() {
    return maxLength;
  }

  @Override
  public List<O> process(List<TaskRequest> requests) {
    Objects.requireNonNull(requests, "requests");
    List<TextInput> inputs = new ArrayList<>(requests.size());
    List<TaskOptions> perInput = new ArrayList<>(requests.size());
    for (int i = 0; i < requests.size(); i++) {
      TaskRequest request = Objects.requireNonNull(requests.get(i), "requests");
      inputs.add(request.input());
      perInput.add(options.with(request.parameters()));
    }
    return run(inputs, perInput);
  }

  private List<O> run(List<TextInput> inputs, List<TaskOptions> perInput) {
    // Chunks of all inputs in one list; firstChunk[i] is where input i's chunks start in it.
    List<Encoding> encodings = new ArrayList<>(inputs.size());
    int[] firstChunk = new int[inputs.size() + 1];
    for (int i = 0; i < inputs.size(); i++) {
      TextInput input = inputs.get(i);
      if (input == null) {
        throw new NullPointerException("inputs[" + i + "]");
      }
      firstChunk[i] = encodings.size();
      try {
        encodings.addAll(processor.preprocess(input, perInput.get(i)));
      } catch (InvalidInputException e) {
        throw new InvalidInputException("input " + i + " " + e.getMessage(), e);
      }
    }
    firstChunk[inputs.size()] = encodings.size();

    List<Chunk> chunks = Arrays.asList(forward(encodings));
    List<O> results = new ArrayList<>(inputs.size());
    for (int i = 0; i < inputs.size(); i++) {
      results.add(processor.postprocess(
          inputs.get(i), chunks.subList(firstChunk[i], firstChunk[i + 1]), perInput.get(i)));
    }
    return results;
  }

  /** Runs every chunk through the model and head, batched by length; the chunks come back in the given order. */
  private Chunk[] forward(List<Encoding> encodings) {
    Integer[] order = IntStream.range(0, encodings.size()).boxed().toArray(Integer[]::new);
    if (sortByLength) {
      Arrays.sort(order, Comparator.comparingInt(i -> encodings.get(i).length()));
    }
    Chunk[] chunks = new Chunk[encodings.size()];
    for (int start = 0; start < order.length; start += batchSize) {
      int end = Math.min(start + batchSize, order.length);
      List<Encoding> batchChunks = new ArrayList<>(end - start);
      for (int k = start; k < end; k++) {
        batchChunks.add(encodings.get(order[k]));
      }
      BatchEncoding batch = tokenizer.pad(batchChunks, PAD_TO_LONGEST);
      Tensor output = processor.head().apply(model.forward(batch), batch);
      if (output.rank() == 0 || output.dim(0) != batch.size()) {
        throw new IllegalStateException("head must return one row per chunk of the batch (" + batch.size() + "), got "
            + output);
      }
      for (int k = start; k < end; k++) {
        chunks[order[k]] = new Chunk(batch.get(k - start), output.slice(k - start));
      }
    }
    return chunks;
  }

  @Override
  public void close() {
    model.close();
  }
}
