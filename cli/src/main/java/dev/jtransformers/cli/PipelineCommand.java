package dev.jtransformers.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jtransformers.api.Device;
import dev.jtransformers.api.TransformersException;
import dev.jtransformers.heads.training.TrainedHeadFactory;
import dev.jtransformers.pipelines.PipelineConfig;
import dev.jtransformers.pipelines.PipelineConfigCodec;
import dev.jtransformers.pipelines.PipelineFactory;
import dev.jtransformers.pipelines.TaskPipeline;
import dev.jtransformers.pipelines.TaskRegistry;
import dev.jtransformers.pipelines.spi.Task;
import dev.jtransformers.pipelines.spi.TaskOption;
import dev.jtransformers.pipelines.spi.TaskOptions;
import dev.jtransformers.pipelines.spi.TaskRequest;
import dev.jtransformers.spi.ModelFormat;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
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
    description = {
      "Runs a pipeline over JSON Lines (a JSON string, {\"text\": ..., \"text_pair\": ...}, or {\"inputs\": ...,",
      "\"parameters\": {...}} with the call's keyword arguments, per line) and writes",
      "one JSON line per input as the task gives it: classification [{\"label\": ..., \"score\": ...}, ...], pooled",
      "features {\"embedding\": [...]}, token-level features {\"hidden_states\": [[...], ...]}; a bad line yields",
      "{\"error\": ..., \"line\": N}."
    })
final class PipelineCommand implements Callable<Integer> {
  /** Inputs handed to the pipeline at once: large enough to batch well, small enough to stream. */
  private static final int CHUNK = 1024;

  private final TaskRegistry tasks;
  /** The command-line option of each task option name, e.g. {@code top_k} → {@code --top-k}. */
  private final Map<String, OptionSpec> taskOptions = new LinkedHashMap<>();

  @Spec CommandSpec spec;

  @Parameters(index = "0", arity = "0..1", description = "The task, e.g. sentiment-analysis (optional with --config).")
  String task;

  @Option(names = "--model", description = "A model id or directory; default: the task's embedded model.")
  String model;

  @Option(names = "--head", description = "A head directory written by train-head.")
  Path head;

  @Option(names = "--backend", description = "onnx, pytorch or tensorflow; default: the best one present.")
  String backend;

  @Option(names = "--format", description = "onnx, torchscript, safetensors or tensorflow_saved_model, where the"
      + " model directory holds several; default: the backend's preferred one.")
  String format;

  @Option(names = "--device", description = "cpu or cuda:N.")
  String device;

  @Option(names = "--batch-size", description = "Inputs per model call.")
  Integer batchSize;

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
  public Integer call() throws IOException {
    return run(pipelineConfig());
  }

  private <O> Integer run(PipelineConfig<O> pipelineConfig) throws IOException {
    Task<O> chosen = pipelineConfig.task();
    List<JsonLines.Line<TaskRequest>> lines =
        JsonLines.read(input == null ? System.in : Files.newInputStream(input), json -> request(chosen, json));
    try (TaskPipeline<O> pipeline = PipelineFactory.fromServiceLoader().create(pipelineConfig);
        ProgressBar progress = progressBar(lines.size())) {
      if (output == null) {
        write(pipeline, chosen, lines, spec.commandLine().getOut(), progress);
      } else {
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(output, StandardCharsets.UTF_8))) {
          write(pipeline, chosen, lines, out, progress);
        }
      }
    }
    return 0;
  }

  /**
   * A line in the Inference API's shape: the task's input ({@code "text"}, {@code {"text", "text_pair"}}, …), or
   * {@code {"inputs": input, "parameters": {keyword: value, …}}} with the Python call's keyword arguments.
   *
   * @throws IllegalArgumentException naming the problem, for a malformed input or an unknown parameter
   */
  static TaskRequest request(Task<?> task, JsonNode line) {
    if (!line.isObject() || !line.has("inputs")) {
      return new TaskRequest(task.inputFromJson(line), TaskOptions.parameters(task).build());
    }
    for (Iterator<String> keys = line.fieldNames(); keys.hasNext(); ) {
      String key = keys.next();
      if (!key.equals("inputs") && !key.equals("parameters")) {
        throw new IllegalArgumentException("unknown key \"" + key + "\": a request has \"inputs\" and"
            + " \"parameters\"");
      }
    }
    TaskOptions.Builder parameters = TaskOptions.parameters(task);
    JsonNode given = line.path("parameters");
    if (!given.isMissingNode() && !given.isNull()) {
      if (!given.isObject()) {
        throw new IllegalArgumentException("\"parameters\" must be an object, got " + given);
      }
      given.fields().forEachRemaining(p -> parameters.set(p.getKey(), p.getValue()));
    }
    return new TaskRequest(task.inputFromJson(line.get("inputs")), parameters.build());
  }

  /** Runs the lines chunk by chunk, writing each chunk's results as soon as they are known. */
  private static <O> void write(TaskPipeline<O> pipeline, Task<O> task, List<JsonLines.Line<TaskRequest>> lines,
      PrintWriter out, ProgressBar progress) {
    for (int start = 0; start < lines.size(); start += CHUNK) {
      List<JsonLines.Line<TaskRequest>> chunk = lines.subList(start, Math.min(start + CHUNK, lines.size()));
      for (JsonNode result : run(pipeline, task, chunk)) {
        out.println(result.toString());
      }
      if (progress != null) {
        progress.stepBy(chunk.size());
      }
    }
    out.flush();
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
      b.head(new PipelineConfig.HeadSpec(TrainedHeadFactory.NAME, Map.of("path", head.toString())));
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

  /**
   * Runs one chunk. If the pipeline rejects the chunk (say, an over-long input with truncation off), each line is
   * run alone so the error lands on its own line and the others still get results.
   */
  private static <O> List<JsonNode> run(
      TaskPipeline<O> pipeline, Task<O> task, List<JsonLines.Line<TaskRequest>> chunk) {
    List<TaskRequest> requests = new ArrayList<>();
    for (JsonLines.Line<TaskRequest> line : chunk) {
      if (line.ok()) {
        requests.add(line.input());
      }
    }
    List<O> outputs;
    try {
      outputs = requests.isEmpty() ? List.of() : pipeline.process(requests);
    } catch (TransformersException e) {
      outputs = null;
    }
    List<JsonNode> results = new ArrayList<>(chunk.size());
    int next = 0;
    for (JsonLines.Line<TaskRequest> line : chunk) {
      if (!line.ok()) {
        results.add(line.errorJson());
      } else if (outputs != null) {
        results.add(task.toJson(outputs.get(next++)));
      } else {
        try {
          results.add(task.toJson(pipeline.process(List.of(line.input())).get(0)));
        } catch (TransformersException e) {
          results.add(JsonLines.Line.errorJson(line.number(), e.getMessage()));
        }
      }
    }
    return results;
  }

  /**
   * A progress bar (on stderr, the library's default) when reading a file; none for stdin, which may be another
   * program's output.
   */
  private ProgressBar progressBar(int total) {
    if (input == null) {
      return null;
    }
    return new ProgressBarBuilder()
        .setTaskName("pipeline")
        .setInitialMax(total)
        .setStyle(ProgressBarStyle.ASCII)
        .build();
  }
}
