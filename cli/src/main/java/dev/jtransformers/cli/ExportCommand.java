package dev.jtransformers.cli;

import dev.jtransformers.pipelines.ModelExports;
import dev.jtransformers.spi.ModelExporter;
import dev.jtransformers.spi.ModelFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code export}: writes a model in another format through the {@link ModelExporter} of that name on the
 * classpath ({@link ModelExports}), e.g. a checkpoint's {@code model.safetensors} as a TensorFlow SavedModel ({@code
 * saved_model}), or an ONNX model with int8 weights ({@code onnx_int8}).
 */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = {
      "Writes a model in another format: --format saved_model writes a BERT or DistilBERT checkpoint",
      "(model.safetensors with config.json) as a TensorFlow SavedModel with a serving_default signature;",
      "--format onnx_int8 writes an ONNX model with its MatMul weights quantised to int8 (dynamic quantisation),",
      "its activations smoothed by their ranges on calibration texts."
    })
final class ExportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--model", required = true, description = "The model directory, or an embedded model id.")
  String model;

  @Option(names = "--format", required = true, description = "The format to write: saved_model, onnx_int8.")
  String format;

  @Option(names = "--out", required = true, description = "The directory to write; new or empty.")
  Path out;

  @Option(names = "--calibration", paramLabel = "FILE",
      description = {"For onnx_int8: texts like those the model will serve, one per line (UTF-8), to measure its",
          "activations on; default: 202 sentences of many kinds shipped with JTransformers."})
  Path calibration;

  @Override
  public Integer call() {
    List<String> texts = calibration == null ? ModelExports.defaultCalibrationTexts() : calibrationTexts();
    ModelFormat written = ModelExports.export(model, format, texts, out);
    spec.commandLine().getOut().println("wrote " + out + " (" + written.configName() + ")");
    return 0;
  }

  private List<String> calibrationTexts() {
    try {
      return Files.readAllLines(calibration, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ParameterException(spec.commandLine(), "--calibration " + FileErrors.describe(e));
    }
  }
}
