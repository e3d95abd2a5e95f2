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
import dev.jtransformers.spi.Head;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.stream.IntStream;

/**
 * A task's processor around a model, with the batching policy, in the shape of Python's {@code ChunkPipeline}: each
 * input is pre-processed once into its chunks; the chunks are sorted by token count and cut into batches of at most
 * {@code batchSize} chunks and {@code maxBatchTokens} padded tokens (as Text Embeddings Inference does), each padded
 * to its own longest chunk; after the model and head, each input is post-processed with all of its chunks, and
 * results come back in input order. Short chunks so never pay for long ones, and long ones run in batches as few
 * tokens wide as short ones.
 *
 * <p>A call with many inputs runs in waves of {@value #WAVE_INPUTS} inputs, sorted within each: while the model runs
 * one wave's batches, the next wave is tokenised on the pipeline's pre-processing thread, so tokenising costs no time
 * when a core is free. A call of one wave (a single input, a small batch) runs on the caller's thread alone.
 *
 * <p>With {@code parallelBatches} above 1, a wave's batches run that many at a time on the pipeline's batch threads,
 * the longest first so that the short ones fill in at the end.
 */
final class ChunkPipeline<O> implements TaskPipeline<O> {
  private static final EncodeOptions PAD_TO_LONGEST =
      EncodeOptions.builder().padding(EncodeOptions.Padding.LONGEST).build();

  /**
   * Inputs per wave: enough that sorting within a wave pads about as little as sorting all (a wave of 512 short
   * sentences fills 16 batches of 32), few enough that the first wave's tokenising, which nothing overlaps, is short.
   */
  static final int WAVE_INPUTS = 512;

  /** Batches per thread under which parallel batches are cut evenly: with more, the last one's wait is small. */
  static final int EVEN_SPLIT_BELOW = 4;

  private final Task<O> task;
  private final TaskOptions options;
  private final Tokenizer tokenizer;
  private final Model model;
  private final TaskProcessor<O> processor;
  private final BatchPolicy batching;
  private final int maxLength;
  private final ExecutorService preprocessing;
  /** Runs batches side by side; null with one batch at a time, which runs on the caller's thread. */
  private final ExecutorService batchThreads;

  /**
   * @param options the pipeline's task options, which each call's parameters override
   * @param batching how chunks are grouped into model calls, and how many run at once
   * @param maxLength the most tokens per chunk
   */
  ChunkPipeline(
      Task<O> task,
      TaskOptions options,
      Tokenizer tokenizer,
      Model model,
      TaskProcessor<O> processor,
      BatchPolicy batching,
      int maxLength) {
    this.task = task;
    this.options = options;
    this.tokenizer = tokenizer;
    this.model = model;
    this.processor = processor;
    this.batching = batching;
    this.maxLength = maxLength;
    this.preprocessing = Executors.newSingleThreadExecutor(daemonThreads("jtransformers-preprocess-" + task.name()));
    this.batchThreads = batching.parallelBatches() == 1 ? null
        : Executors.newFixedThreadPool(batching.parallelBatches(), daemonThreads("jtransformers-batch-" + task.name()));
  }

  private static ThreadFactory daemonThreads(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true); // an unclosed pipeline must not keep the JVM alive
      return thread;
    };
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
    if (preprocessing.isShutdown()) {
      throw new IllegalStateException("the " + task.name() + " pipeline is closed");
    }
    for (int i = 0; i < inputs.size(); i++) {
      if (inputs.get(i) == null) {
        throw new NullPointerException("inputs[" + i + "]");
      }
    }
    List<O> results = new ArrayList<>(inputs.size());
    Future<Wave> next = null;
    try {
      Wave wave = preprocess(inputs, perInput, 0);
      while (wave != null) {
        int following = wave.end();
        next = following < inputs.size() ? preprocessing.submit(() -> preprocess(inputs, perInput, following)) : null;
        wave.postprocess(forward(wave.encodings()), results);
        wave = next == null ? null : await(next);
      }
      return results;
    } finally {
      if (next != null) {
        next.cancel(true); // the model failed: the next wave is not needed
      }
    }
  }

  /** Tokenises the wave of inputs starting at {@code start}. */
  private Wave preprocess(List<TextInput> inputs, List<TaskOptions> perInput, int start) {
    int end = Math.min(start + WAVE_INPUTS, inputs.size());
    // Chunks of the wave's inputs in one list; firstChunk[i] is where input start + i's chunks start in it.
    List<Encoding> encodings = new ArrayList<>(end - start);
    int[] firstChunk = new int[end - start + 1];
    for (int i = start; i < end; i++) {
      firstChunk[i - start] = encodings.size();
      try {
        encodings.addAll(processor.preprocess(inputs.get(i), perInput.get(i)));
      } catch (InvalidInputException e) {
        throw new InvalidInputException("input " + i + " " + e.getMessage(), e);
      }
    }
    firstChunk[end - start] = encodings.size();
    return new Wave(start, inputs.subList(start, end), perInput.subList(start, end), encodings, firstChunk);
  }

  /** Stops the threads, and cancels the work they had not started, so that no call waits for it forever. */
  private static void stop(ExecutorService threads) {
    threads.shutdownNow().forEach(task -> ((Future<?>) task).cancel(false));
  }

  private static <T> T await(Future<T> result) {
    try {
      return result.get();
    } catch (CancellationException e) {
      throw new IllegalStateException("the pipeline was closed during the call", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException failure) {
        throw failure; // as if it had been thrown on this thread: InvalidInputException naming the input, say
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException("a pipeline thread failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the pipeline's threads", e);
    }
  }

  /** Some consecutive inputs, pre-processed: their chunks, and where each input's chunks start. */
  private final class Wave {
    private final int start;
    private final List<TextInput> inputs;
    private final List<TaskOptions> perInput;
    private final List<Encoding> encodings;
    private final int[] firstChunk;

    Wave(int start, List<TextInput> inputs, List<TaskOptions> perInput, List<Encoding> encodings, int[] firstChunk) {
      this.start = start;
      this.inputs = inputs;
      this.perInput = perInput;
      this.encodings = encodings;
      this.firstChunk = firstChunk;
    }

    List<Encoding> encodings() {
      return encodings;
    }

    /** Index, in the call's inputs, after the wave's last input. */
    int end() {
      return start + inputs.size();
    }

    /** Post-processes each input with its chunks, appending the results in input order. */
    void postprocess(Chunk[] outputs, List<O> results) {
      List<Chunk> chunks = Arrays.asList(outputs);
      for (int i = 0; i < inputs.size(); i++) {
        results.add(processor.postprocess(inputs.get(i), chunks.subList(firstChunk[i], firstChunk[i + 1]),
            perInput.get(i)));
      }
    }
  }

  /** Runs every chunk through the model and head, batched by length; the chunks come back in the given order. */
  private Chunk[] forward(List<Encoding> encodings) {
    Integer[] order = IntStream.range(0, encodings.size()).boxed().toArray(Integer[]::new);
    if (batching.sortByLength()) {
      Arrays.sort(order, Comparator.comparingInt(i -> encodings.get(i).length()));
    }
    int[] lengths = new int[order.length];
    for (int k = 0; k < order.length; k++) {
      lengths[k] = encodings.get(order[k]).length();
    }
    // Batch b is order[bounds[b]..bounds[b + 1]).
    List<Integer> bounds = bounds(lengths, batching.batchSize(), batching.maxBatchTokens(), batching.parallelBatches());
    int batches = bounds.size() - 1;
    Chunk[] chunks = new Chunk[encodings.size()];
    if (batchThreads == null || batches == 1) {
      for (int b = 0; b < batches; b++) {
        forwardBatch(encodings, order, bounds.get(b), bounds.get(b + 1), chunks);
      }
      return chunks;
    }
    List<Future<?>> running = new ArrayList<>(batches);
    try {
      for (int b = batches - 1; b >= 0; b--) { // longest first: the short batches fill in at the end
        int start = bounds.get(b);
        int end = bounds.get(b + 1);
        running.add(batchThreads.submit(() -> forwardBatch(encodings, order, start, end, chunks)));
      }
      for (Future<?> batch : running) {
        await(batch); // each batch fills its own slots of chunks; get() makes them visible here
      }
      return chunks;
    } catch (RejectedExecutionException e) {
      throw new IllegalStateException("the " + task.name() + " pipeline is closed", e);
    } finally {
      running.forEach(batch -> batch.cancel(true)); // a batch failed: the others are not needed
    }
  }

  /** Runs the chunks {@code order[start..end)} through the model and head as one batch, into their slots of chunks. */
  private void forwardBatch(List<Encoding> encodings, Integer[] order, int start, int end, Chunk[] chunks) {
    List<Encoding> batchChunks = new ArrayList<>(end - start);
    for (int k = start; k < end; k++) {
      batchChunks.add(encodings.get(order[k]));
    }
    BatchEncoding batch = tokenizer.pad(batchChunks, PAD_TO_LONGEST);
    Head head = processor.head();
    Tensor output = head.apply(model.forward(batch, head.requiredOutputs()), batch);
    if (output.rank() == 0 || output.dim(0) != batch.size()) {
      throw new IllegalStateException("head must return one row per chunk of the batch (" + batch.size() + "), got "
          + output);
    }
    for (int k = start; k < end; k++) {
      chunks[order[k]] = new Chunk(batch.get(k - start), output.slice(k - start));
    }
  }

  /**
   * Where each batch starts, and where the last ends, for chunks of these token counts in batch order: cut by {@link
   * #batchEnd}. With {@code parallel} batches side by side, a call of fewer than {@value #EVEN_SPLIT_BELOW} batches a
   * thread is cut instead into a multiple of {@code parallel} batches of sizes that differ by at most one (within
   * the same limits), so that the threads finish together rather than one running a last batch alone.
   */
  static List<Integer> bounds(int[] lengths, int batchSize, int maxBatchTokens, int parallel) {
    List<Integer> bounds = new ArrayList<>(List.of(0));
    while (bounds.get(bounds.size() - 1) < lengths.length) {
      bounds.add(batchEnd(lengths, bounds.get(bounds.size() - 1), batchSize, maxBatchTokens));
    }
    int batches = bounds.size() - 1;
    if (parallel == 1 || batches >= EVEN_SPLIT_BELOW * parallel) {
      return bounds;
    }
    int groups = (batches + parallel - 1) / parallel * parallel;
    List<Integer> even = new ArrayList<>(List.of(0));
    for (int group = 0; even.get(even.size() - 1) < lengths.length; group++) {
      int size = Math.max(1, lengths.length / groups + (group < lengths.length % groups ? 1 : 0));
      even.add(batchEnd(lengths, even.get(even.size() - 1), size, maxBatchTokens));
    }
    return even;
  }

  /**
   * Where the batch starting at {@code start} ends, given the chunks' token counts in batch order: after {@code
   * batchSize} chunks, or before the chunk that would take the padded batch (chunks × the longest) past {@code
   * maxBatchTokens}; at least one chunk.
   */
  static int batchEnd(int[] lengths, int start, int batchSize, int maxBatchTokens) {
    int longest = lengths[start];
    int end = start + 1;
    while (end < lengths.length && end - start < batchSize) {
      int widest = Math.max(longest, lengths[end]);
      if ((long) widest * (end - start + 1) > maxBatchTokens) {
        break;
      }
      longest = widest;
      end++;
    }
    return end;
  }

  @Override
  public void close() {
    stop(preprocessing);
    if (batchThreads != null) {
      stop(batchThreads);
    }
    model.close();
  }
}
