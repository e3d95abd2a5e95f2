package dev.jtransformers.benchmarks;

import dev.jtransformers.api.Label;
import dev.jtransformers.api.TextInput;
import dev.jtransformers.pipelines.PipelineConfig;
import dev.jtransformers.pipelines.PipelineFactory;
import dev.jtransformers.pipelines.TaskPipeline;
import dev.jtransformers.pipelines.tasks.TextClassification;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The soak: one sentiment pipeline on one backend, called many times — single texts, text pairs and batches of four
 * in turn, as a server would — with the process's resident memory ({@code VmRSS} of {@code /proc/self/status}) and
 * the heap in use after a full collection, printed after a warm-up of a tenth of the calls, every tenth of the run,
 * and at the end. Native memory that a call leaks shows up as RSS growing while the heap stays flat; the goal is RSS
 * within 5% of its warm-up value at the end. Run one backend per process, so each one's figures are its own.
 *
 * <p>Usage: {@code [-Dthreads=N] SoakBench BACKEND [CALLS=100000] [MODEL=the default sentiment model]}, e.g. {@code
 * SoakBench onnx 100000}; the default model is the embedded all-MiniLM-L6-v2 with this project's SST-2 head, which
 * every backend reads (ONNX Runtime from its graph, PyTorch and TensorFlow from its initializers). {@code
 * -Dthreads=N} gives the engine N threads per operator and one across operators (default: the engine's own choice,
 * whose threads wait on each other on a machine busy with other work).
 */
public final class SoakBench {
  private static final List<TextInput> SINGLES = List.of(
      TextInput.of("I've been waiting for a HuggingFace course my whole life."),
      TextInput.of("I hate this so much!"),
      TextInput.of("a gorgeous, witty, seductive movie."),
      TextInput.of("the plot is nothing but boilerplate clichés from start to finish"));

  private static final TextInput PAIR = TextInput.pair("This is the first sentence.", "This is the second one.");

  /** Threads per operator, {@code -Dthreads}; 0: the engine's default. */
  private static final int THREADS = Integer.getInteger("threads", 0);

  private SoakBench() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      System.err.println("usage: SoakBench BACKEND [CALLS=100000] [MODEL]");
      System.exit(2);
    }
    String backend = args[0];
    int calls = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
    PipelineConfig.Builder<List<Label>> config = PipelineConfig.builder(TextClassification.TASK).backend(backend);
    if (THREADS > 0) {
      config.intraOpThreads(THREADS).interOpThreads(1);
    }
    if (args.length > 2) {
      config.model(args[2]);
    }
    try (TaskPipeline<List<Label>> pipeline = PipelineFactory.fromServiceLoader().create(config.build())) {
      int tenth = Math.max(1, calls / 10);
      long start = System.nanoTime();
      run(pipeline, 0, tenth);
      Memory warm = Memory.now();
      System.out.printf("soak %s: %,d calls after a warm-up of %,d: %s%n", backend, calls, tenth, warm);
      Memory peak = warm;
      for (int done = 0; done < calls; done += tenth) {
        run(pipeline, done, Math.min(tenth, calls - done));
        Memory now = Memory.now();
        peak = now.residentKb() > peak.residentKb() ? now : peak;
        System.out.printf("  %,9d calls: %s%n", done + Math.min(tenth, calls - done), now);
      }
      Memory end = Memory.now();
      System.out.printf("soak %s: RSS %,d MB after warm-up, %,d MB at the end (%+.1f%%), peak %,d MB; heap %,d MB"
              + " after warm-up, %,d MB at the end; %.0f s%n",
          backend, warm.residentKb() / 1024, end.residentKb() / 1024,
          100.0 * (end.residentKb() - warm.residentKb()) / warm.residentKb(), peak.residentKb() / 1024,
          warm.heapBytes() >> 20, end.heapBytes() >> 20, (System.nanoTime() - start) / 1e9);
    }
  }

  /** Calls {@code first} to {@code first + count - 1}: a fourth are batches of four, a fourth pairs, half single texts. */
  private static void run(TaskPipeline<List<Label>> pipeline, int first, int count) {
    for (int call = first; call < first + count; call++) {
      switch (call % 4) {
        case 0 -> pipeline.applyAll(SINGLES);
        case 1 -> pipeline.apply(PAIR);
        default -> pipeline.apply(SINGLES.get(call % SINGLES.size()));
      }
    }
  }

  /** The process's resident memory and the heap in use after a collection. */
  private record Memory(long residentKb, long heapBytes) {
    private static final MemoryMXBean HEAP = ManagementFactory.getMemoryMXBean();

    static Memory now() throws IOException {
      System.gc();
      long resident = -1;
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          resident = Long.parseLong(line.replaceAll("\\D", ""));
        }
      }
      return new Memory(resident, HEAP.getHeapMemoryUsage().getUsed());
    }

    @Override
    public String toString() {
      return String.format("RSS %,d MB, heap %,d MB", residentKb / 1024, heapBytes >> 20);
    }
  }
}
