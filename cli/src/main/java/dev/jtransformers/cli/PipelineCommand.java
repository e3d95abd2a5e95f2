package dev.jtransformers.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jtransformers.api.Device;
import dev.jtransformers.api.Label;
import dev.jtransformers.api.Pipeline;
import dev.jtransformers.api.Tensor;
import dev.jtransformers.api.TextInput;
import dev.jtransformers.api.TransformersException;
import dev.jtransformers.heads.training.TrainedHeadFactory;
import dev.jtransformers.pipelines.FunctionToApply;
import dev.jtransformers.pipelines.PipelineConfig;
import dev.jtransformers.pipelines.PipelineFactory;
import dev.jtransformers.pipelines.Task;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code pipeline}: runs a task pipeline over JSON Lines, writing one JSON result per input line, in order.
 * Options override a {@code --config} file; unset ones take the model's defaults.
 */
@Command(
    name = "pipeline",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a pipeline over JSON Lines (a JSON string, or {\"text\": ..., \"text_pair\": ...} per line) and writes",
      "one JSON line per input: classification [{\"label\": ..., \"score\": ...}, ...], pooled features",
      "{\"embedding\": [...]}, token-level features {\"hidden_states\": [[...], ...]}; a bad line yields",
      "{\"error\": ..., \"line\": N}."
    })
final class PipelineCommand implements Callable<Integer> {
  /** Inputs handed to the pipeline at once: large enough to batch well, small enough to stream. */
  private static final int CHUNK = 1024;

  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      arity = "0..1",
      description = "sentiment-analysis, text-classification or feature-extraction (optional with --config).")
  String task;

  @Option(names = "--model", description = "A model id or directory; default: the task's embedded model.")
  String model;

  @Option(names = "--head", description = "A head directory written by train-head.")
  Path head;

  @Option(names = "--backend", description = "onnx, pytorch or tensorflow; default: the best one present.")
  String backend;

  @Option(names = "--device", description = "cpu or cuda:N.")
  String device;

  @Option(names = "--batch-size", description = "Inputs per model call.")
  Integer batchSize;

  @Option(names = "--max-length", description = "Most tokens per input; default: the model's.")
  Integer maxLength;

  @Option(names = "--no-truncation", description = "Reject over-long inputs instead of truncating them.")
  boolean noTruncation;

  @Option(names = "--top-k", description = "Labels per input, or 'all'.")
  String topK;

  @Option(names = "--function-to-apply", description = "softmax, sigmoid or none.")
  String functionToApply;

  @Option(names = "--pooling", description = "mean, cls, max or none (token-level).")
  String pooling;

  @ArgGroup(exclusive = true)
  Normalization normalization;

  /** {@code --normalize} or {@code --no-normalize}. */
  static final class Normalization {
    @Option(names = "--normalize", description = "L2-normalise pooled vectors.")
    boolean normalize;

    @Option(names = "--no-normalize", description = "Do not normalise pooled vectors.")
    boolean noNormalize;
  }

  @Option(names = "--config", description = "A pipeline config file (JSON or YAML).")
  Path config;

  @Option(names = "--input", description = "Read JSON Lines from this file instead of stdin (shows progress).")
  Path input;

  @Option(names = "--output", description = "Write JSON Lines to this file instead of stdout.")
  Path output;

  @Override
  public Integer call() throws IOException {
    PipelineConfig pipelineConfig = pipelineConfig();
    List<JsonLines.Line> lines = JsonLines.read(input == null ? System.in : Files.newInputStream(input));
    try (Pipeline<?> pipeline = PipelineFactory.fromServiceLoader().create(pipelineConfig);
        ProgressBar progress = progressBar(lines.size())) {
      if (output == null) {
        write(pipeline, lines, spec.commandLine().getOut(), progress);
      } else {
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(output, StandardCharsets.UTF_8))) {
          write(pipeline, lines, out, progress);
        }
      }
    }
    return 0;
  }

  /** Runs the lines chunk by chunk, writing each chunk's results as soon as they are known. */
  private static void write(Pipeline<?> pipeline, List<JsonLines.Line> lines, PrintWriter out, ProgressBar progress) {
    for (int start = 0; start < lines.size(); start += CHUNK) {
      List<JsonLines.Line> chunk = lines.subList(start, Math.min(start + CHUNK, lines.size()));
      for (JsonNode result : run(pipeline, chunk)) {
        out.println(result.toString());
      }
      if (progress != null) {
        progress.stepBy(chunk.size());
      }
    }
    out.flush();
  }

  private PipelineConfig pipelineConfig() {
    PipelineConfig base;
    if (config != null) {
      base = PipelineConfig.load(config);
      if (task != null && Task.of(task) != base.task()) {
        throw new ParameterException(
            spec.commandLine(), "task " + task + " differs from the config file's " + base.task());
      }
    } else if (task != null) {
      base = PipelineConfig.builder(Task.of(task)).build();
    } else {
      throw new ParameterException(spec.commandLine(), "give a task or --config");
    }
    PipelineConfig.Builder b = base.toBuilder();
    if (model != null) {
      b.model(model);
    }
    if (head != null) {
      b.head(new PipelineConfig.HeadSpec(TrainedHeadFactory.NAME, Map.of("path", head.toString())));
    }
    if (backend != null) {
      b.backend(backend);
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
    if (topK != null) {
      if (topK.equalsIgnoreCase("all")) {
        b.allLabels();
      } else {
        b.topK(Integer.parseInt(topK));
      }
    }
    if (functionToApply != null) {
      b.functionToApply(FunctionToApply.parse(functionToApply));
    }
    if (pooling != null) {
      b.pooling(PipelineConfig.Pooling.parse(pooling));
    }
    if (normalization != null) {
      b.normalize(normalization.normalize);
    }
    return b.build();
  }

  /**
   * Runs one chunk. If the pipeline rejects the chunk (say, an over-long input with truncation off), each line is
   * run alone so the error lands on its own line and the others still get results.
   */
  private static List<JsonNode> run(Pipeline<?> pipeline, List<JsonLines.Line> chunk) {
    List<TextInput> inputs = new ArrayList<>();
    for (JsonLines.Line line : chunk) {
      if (line.ok()) {
        inputs.add(line.input());
      }
    }
    List<?> outputs;
    try {
      outputs = inputs.isEmpty() ? List.of() : pipeline.applyAll(inputs);
    } catch (TransformersException e) {
      outputs = null;
    }
    List<JsonNode> results = new ArrayList<>(chunk.size());
    int next = 0;
    for (JsonLines.Line line : chunk) {
      if (!line.ok()) {
        results.add(line.errorJson());
      } else if (outputs != null) {
        results.add(toJson(outputs.get(next++)));
      } else {
        try {
          results.add(toJson(pipeline.apply(line.input())));
        } catch (TransformersException e) {
          results.add(JsonLines.Line.errorJson(line.number(), e.getMessage()));
        }
      }
    }
    return results;
  }

  /** Classification results as a list of labels; features as an embedding or token states. */
  static JsonNode toJson(Object result) {
    if (result instanceof Tensor t) {
      ObjectNode node = JsonLines.MAPPER.createObjectNode();
      if (t.rank() == 1) {
        addFloats(node.putArray("embedding"), t.toFloatArray());
      } else {
        ArrayNode rows = node.putArray("hidden_states");
        for (float[] row : t.toFloatArray2D()) {
          addFloats(rows.addArray(), row);
        }
      }
      return node;
    }
    ArrayNode labels = JsonLines.MAPPER.createArrayNode();
    for (Object o : (List<?>) result) {
      Label label = (Label) o;
      labels.addObject().put("label", label.label()).put("score", label.score());
    }
    return labels;
  }

  private static void addFloats(ArrayNode array, float[] values) {
    for (float v : values) {
      array.add(v);
    }
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
