package dev.jtransformers.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jtransformers.api.Device;
import dev.jtransformers.api.ModelLoadException;
import dev.jtransformers.api.TransformersException;
import dev.jtransformers.heads.training.TrainedHeadFactory;
import dev.jtransformers.models.ModelResolver;
import dev.jtransformers.pipelines.InferenceRequest;
import dev.jtransformers.pipelines.PipelineConfig;
import dev.jtransformers.pipelines.PipelineConfigCodec;
import dev.jtransformers.pipelines.PipelineFactory;
import dev.jtransformers.pipelines.TaskPipeline;
import dev.jtransformers.pipelines.TaskRegistry;
import dev.jtransformers.pipelines.spi.Task;
import dev.jtransformers.pipelines.spi.TaskOption;
import dev.jtransformers.pipelines.spi.TaskRequest;
import dev.jtransformers.spi.ModelFormat;
import java.io.BufferedWriter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code pipeline}: runs a task's pipeline over JSON Lines, writing one JSON result per input line, in order. The
 * tasks and their options ({@code --top-k}, {@code --pooling}, …) come from the {@link TaskRegistry}, so a task on
 * the classpath is served here with no change to this command. Options override a {@code --config} file; unset ones
 * take the model's defaults.
 */
@Command(
    name = "pipeline",
    mixinStandardHelpOptions = true,
    description =
        "Runs a task's pipeline over JSON Lines and writes one JSON line per input line, in order, as soon as"
            + " its batch is done. A line is a JSON string, {\"text\": ..., \"text_pair\": ...}, or {\"inputs\":"
            + " ..., \"parameters\": {...}} with that call's keyword arguments. Results are the task's JSON, as"
            + " Python's pipeline returns it; a line that fails yields {\"error\": ..., \"line\": N}, and the run"
            + " then exits with status 3 after a summary on stderr.")
final class PipelineCommand implements Callable<Integer> {
  /** Most inputs handed to the pipeline at once: large enough to batch well by length. */
  private static final int CHUNK = 1024;


  private static final Logger LOG = LoggerFactory.getLogger(PipelineCommand.class);

  private final TaskRegistry tasks;
  /** The command-line option of each task option name, e.g. {@code top_k} → {@code --top-k}. */
  private final Map<String, OptionSpec> taskOptions = new LinkedHashMap<>();

  @Spec CommandSpec spec;

  @Parameters(index = "0", arity = "0..1", description = "The task, e.g. sentiment-analysis (optional with --config).")
  String task;

  @Option(names = "--model", description = "A model id or directory; default: the task's embedded model.")
  String model;

  @Option(names = "--head", description = "A head written by train-head: its directory, or an embedded head id.")
  String head;

  @Option(names = "--adapter", description = "A LoRA adapter (PEFT format, e.g. from fine-tune --lora-rank) to merge"
      + " into the model as it loads: its directory, or an embedded adapter id.")
  String adapter;

  @Option(names = "--backend", description = "onnx, pytorch or tensorflow; default: the best one present.")
  String backend;

  @Option(names = "--format", description = "onnx, torchscript, safetensors or tensorflow_saved_model, where the"
      + " model directory holds several; default: the backend's preferred one.")
  String format;

  @Option(names = "--device", description = "cpu or cuda:N.")
  String device;

  @Option(names = "--batch-size", description = "Inputs per model call.")
  Integer batchSize;

  @Option(names = "--max-batch-tokens", description = "Most tokens per model call, padding included; default: "
      + PipelineConfig.DEFAULT_MAX_BATCH_TOKENS + ".")
  Integer maxBatchTokens;

  @Option(names = "--parallel-batches", description = "Model calls run at once, each on one engine thread; default: the"
      + " engine's choice (ONNX Runtime on CPU: as many as its threads, sharing them; others: one at a time).")
  Integer parallelBatches;

  @Option(names = "--max-length", description = "Most tokens per input; default: the model's.")
  Integer maxLength;

  @Option(names = "--no-truncation", description = "Reject over-long inputs instead of truncating them.")
  boolean noTruncation;

  @Option(names = "--config", description = "A pipeline config file (JSON or YAML).")
  Path config;

  @Option(names = "--input", description = "Read JSON Lines from this file instead of stdin (shows progress).")
  Path input;

  @Option(names = "--output", description = "Write JSON Lines to this file instead of stdout.")
  Path output;

  @Option(names = "--fail-fast", description = "Stop at the first line that fails.")
  boolean failFast;

  PipelineCommand(TaskRegistry tasks) {
    this.tasks = tasks;
  }

  /**
   * Adds one command-line option per task option of every registered task ({@code top_k} → {@code --top-k}; a flag
   * such as {@code normalize} → {@code --normalize} / {@code --no-normalize}). Tasks sharing an option name share
   * the command-line option.
   */
  void addTaskOptions(CommandSpec command) {
    for (Task<?> t : tasks.all()) {
      for (TaskOption<?> option : t.options()) {
        taskOptions.computeIfAbsent(option.name(), name -> {
          String flag = "--" + name.replace('_', '-');
          OptionSpec.Builder b = OptionSpec.builder(flag).description(option.description() + " (" + t.name() + ")");
          OptionSpec spec = option.isFlag()
              ? b.type(Boolean.class).arity("0").negatable(true).build()
              : b.type(String.class).paramLabel("<" + name + ">").build();
          command.addOption(spec);
          return spec;
        });
      }
    }
  }

  @Override
  public Integer call() throws IOException, InterruptedException {
    PipelineConfig<?> pipelineConfig = pipelineConfig();
    // Every argument is checked before the model loads, so a typo fails at once.
    for (String[] named : new String[][] {{"--head", head}, {"--adapter", adapter}}) {
      if (named[1] != null) {
        try {
          new ModelResolver().resolve(named[1]);
        } catch (ModelLoadException e) {
          throw new ParameterException(spec.commandLine(), named[0] + " " + e.getMessage());
        }
      }
    }
    try (InputStream in = openInput(); OutputStream out = openOutput()) {
      return run(pipelineConfig, in, out);
    }
  }

  private InputStream openInput() {
    if (input == null) {
      return System.in;
    }
    if (Files.isDirectory(input)) {
      throw new ParameterException(spec.commandLine(), "--input " + input + ": is a directory, not a file");
    }
    try {
      return Files.newInputStream(input);
    } catch (IOException e) {
      throw new ParameterException(spec.commandLine(), "--input " + FileErrors.describe(e));
    }
  }

  /** The results' stream; unlike {@code System.out}, it reports write failures (a full disk, a closed pipe). */
  private OutputStream openOutput() {
    if (output == null) {
      return new FileOutputStream(FileDescriptor.out);
    }
    try {
      return Files.newOutputStream(output);
    } catch (IOException e) {
      throw new ParameterException(spec.commandLine(), "--output " + FileErrors.describe(e));
    }
  }

  /**
   * Runs the lines as they arrive and writes each result as soon as its batch is done, in input order.
   *
   * @return 0 if every line succeeded, {@value LineRun#LINES_FAILED} if some failed (summarised on stderr)
   * @throws IOException if the output can't be written; the run stops at once
   */
  private <O> int run(PipelineConfig<O> pipelineConfig, InputStream in, OutputStream out)
      throws IOException, InterruptedException {
    Task<O> chosen = pipelineConfig.task();
    Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
    try (TaskPipeline<O> pipeline = PipelineFactory.fromServiceLoader().create(pipelineConfig);
        LineFeed<TaskRequest> lines = new LineFeed<>(in, json -> InferenceRequest.read(chosen, json).single());
        ProgressBar progress = progressBar()) {
      return LineRun.run(lines, CHUNK, batch -> run(pipeline, chosen, batch), writer, spec.commandLine().getErr(),
          failFast, progress);
    }
  }

  private PipelineConfig<?> pipelineConfig() {
    PipelineConfig<?> base;
    if (config != null) {
      base = new PipelineConfigCodec(tasks).load(config);
      if (task != null && !tasks.get(task).name().equals(base.task().name())) {
        throw new ParameterException(
            spec.commandLine(), "task " + task + " differs from the config file's " + base.task().name());
      }
    } else if (task != null) {
      base = PipelineConfig.builder(tasks.get(task)).build();
    } else {
      throw new ParameterException(spec.commandLine(), "give a task or --config");
    }
    return withCommandLine(base);
  }

  private <O> PipelineConfig<O> withCommandLine(PipelineConfig<O> base) {
    PipelineConfig.Builder<O> b = base.toBuilder();
    if (model != null) {
      b.model(model);
    }
    if (head != null) {
      b.head(new PipelineConfig.HeadSpec(TrainedHeadFactory.NAME, Map.of("path", head)));
    }
    if (adapter != null) {
      b.adapter(adapter);
    }
    if (backend != null) {
      b.backend(backend);
    }
    if (format != null) {
      b.format(ModelFormat.fromConfigName(format));
    }
    if (device != null) {
      b.device(Device.parse(device));
    }
    if (batchSize != null) {
      b.batchSize(batchSize);
    }
    if (maxBatchTokens != null) {
      b.maxBatchTokens(maxBatchTokens);
    }
    if (parallelBatches != null) {
      b.parallelBatches(parallelBatches);
    }
    if (maxLength != null) {
      b.maxLength(maxLength);
    }
    if (noTruncation) {
      b.truncation(false);
    }
    List<String> accepted = base.task().options().stream().map(TaskOption::name).toList();
    taskOptions.forEach((name, option) -> {
      Object value = option.getValue();
      if (value == null) {
        return;
      }
      if (!accepted.contains(name)) {
        throw new ParameterException(spec.commandLine(), option.longestName() + " is not an option of task "
            + base.task().name() + (accepted.isEmpty() ? ", which takes none" : "; its options: " + accepted));
      }
      b.parseOption(name, value.toString());
    });
    return b.build();
  }

  /** Runs one chunk of lines: each gets its result, or its error where it is malformed or can't be processed. */
  private static <O> List<JsonNode> run(
      TaskPipeline<O> pipeline, Task<O> task, List<JsonLines.Line<TaskRequest>> chunk) {
    List<JsonNode> results = new ArrayList<>(Collections.nCopies(chunk.size(), null));
    List<JsonLines.Line<TaskRequest>> valid = new ArrayList<>();
    List<Integer> positions = new ArrayList<>();
    for (int i = 0; i < chunk.size(); i++) {
      if (chunk.get(i).ok()) {
        valid.add(chunk.get(i));
        positions.add(i);
      } else {
        results.set(i, chunk.get(i).errorJson());
      }
    }
    List<JsonNode> outcomes = runIsolating(pipeline, task, valid);
    for (int k = 0; k < positions.size(); k++) {
      results.set(positions.get(k), outcomes.get(k));
    }
    return results;
  }

  /**
   * Runs valid lines as one batch; if the pipeline rejects the batch (say, one over-long input with truncation
   * off), each half runs again, down to the lines that fail alone. An input is rejected while it is tokenized,
   * before the model runs, so the good lines still reach the model once, in large batches: a bad line costs a few
   * extra tokenizations of its batch, not a model call per line.
   */
  private static <O> List<JsonNode> runIsolating(
      TaskPipeline<O> pipeline, Task<O> task, List<JsonLines.Line<TaskRequest>> lines) {
    if (lines.isEmpty()) {
      return List.of();
    }
    try {
      List<O> outputs = pipeline.process(lines.stream().map(JsonLines.Line::input).toList());
      return outputs.stream().map(task::toJson).toList();
    } catch (RuntimeException e) {
      if (lines.size() == 1) {
        return List.of(lineError(lines.get(0), e));
      }
      int half = lines.size() / 2;
      List<JsonNode> results = new ArrayList<>(runIsolating(pipeline, task, lines.subList(0, half)));
      results.addAll(runIsolating(pipeline, task, lines.subList(half, lines.size())));
      return results;
    }
  }

  /** The error object of a line that failed alone; an exception JTransformers does not raise on purpose is logged. */
  private static JsonNode lineError(JsonLines.Line<TaskRequest> line, RuntimeException e) {
    if (e instanceof TransformersException || e instanceof IllegalArgumentException) {
      return JsonLines.Line.errorJson(line.number(), e.getMessage());
    }
    LOG.error("line {} failed", line.number(), e);
    return JsonLines.Line.errorJson(line.number(), "internal error (" + e + "); please report it");
  }

  /**
   * A progress bar (on stderr, the library's default) over the lines of the {@code --input} file, moved per batch;
   * none for stdin, which may be another program's output.
   */
  private ProgressBar progressBar() throws IOException {
    if (input == null) {
      return null;
    }
    long total;
    try (var counted = Files.lines(input, StandardCharsets.UTF_8)) {
      total = counted.count();
    }
    return new ProgressBarBuilder()
        .setTaskName("pipeline")
        .setInitialMax(total)
        .setStyle(ProgressBarStyle.ASCII)
        .build();
  }
}
