package dev.jtransformers.cli;

import dev.jtransformers.api.ModelLoadException;
import dev.jtransformers.models.ModelConfig;
import dev.jtransformers.models.ModelResolver;
import dev.jtransformers.spi.LoadRequest;
import dev.jtransformers.spi.ModelExporter;
import dev.jtransformers.spi.ModelFormat;
import dev.jtransformers.spi.ProviderRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code export}: writes a model in another format through the {@link ModelExporter} of that name on the
 * classpath, e.g. a checkpoint's {@code model.safetensors} as a TensorFlow SavedModel ({@code saved_model}), or an
 * ONNX model with int8 weights ({@code onnx_int8}).
 */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = {
      "Writes a model in another format: --format saved_model writes a BERT or DistilBERT checkpoint",
      "(model.safetensors with config.json) as a TensorFlow SavedModel with a serving_default signature;",
      "--format onnx_int8 writes an ONNX model with its MatMul weights quantised to int8 (dynamic quantisation)."
    })
final class ExportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--model", required = true, description = "The model directory, or an embedded model id.")
  String model;

  @Option(names = "--format", required = true, description = "The format to write: saved_model, onnx_int8.")
  String format;

  @Option(names = "--out", required = true, description = "The directory to write; new or empty.")
  Path out;

  @Override
  public Integer call() {
    ProviderRegistry<ModelExporter> exporters =
        ProviderRegistry.discover(ModelExporter.class, "model exporter", ModelExporter::name);
    ModelExporter exporter = exporters.get(format);
    ModelResolver resolver = new ModelResolver();
    Path directory = resolver.resolve(model);
    ModelFormat source =
        exporter.sourceFormats().stream()
            .filter(f -> f.locate(directory).isPresent())
            .findFirst()
            .orElseThrow(
                () ->
                    new ModelLoadException(
                        "no model in " + directory + " that '" + format + "' exports from: expected "
                            + exporter.sourceFormats().stream()
                                .map(ModelFormat::describeFiles)
                                .collect(Collectors.joining("; or "))));
    LoadRequest.Builder request = LoadRequest.builder(directory, source).cacheDirectory(resolver.cache().root());
    if (Files.exists(directory.resolve(ModelConfig.FILE_NAME))) {
      request.config(ModelConfig.load(directory).toMap());
    }
    exporter.export(request.build(), out);
    spec.commandLine().getOut().println("wrote " + out + " (" + exporter.format().configName() + ")");
    return 0;
  }
}
