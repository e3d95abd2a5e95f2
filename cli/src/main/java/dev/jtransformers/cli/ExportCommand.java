package dev.jtransformers.cli;

import dev.jtransformers.api.BatchEncoding;
import dev.jtransformers.api.EncodeOptions;
import dev.jtransformers.api.ModelLoadException;
import dev.jtransformers.api.TextInput;
import dev.jtransformers.models.ModelConfig;
import dev.jtransformers.models.ModelResolver;
import dev.jtransformers.spi.LoadRequest;
import dev.jtransformers.spi.ModelExporter;
import dev.jtransformers.spi.ModelFormat;
import dev.jtransformers.spi.ProviderRegistry;
import dev.jtransformers.tokenizer.ComposedTokenizer;
import dev.jtransformers.tokenizer.Tokenizers;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
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
          "activations on; default: 200 sentences of many kinds shipped with the CLI."})
  Path calibration;

  /** Sentences of many kinds (news, reviews, captions, questions, code, numbers, other languages), one per line. */
  private static final String DEFAULT_CALIBRATION = "calibration.txt";

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
    OptionalInt positions = OptionalInt.empty();
    if (Files.exists(directory.resolve(ModelConfig.FILE_NAME))) {
      ModelConfig config = ModelConfig.load(directory);
      request.config(config.toMap());
      positions = OptionalInt.of(config.maxPositionEmbeddings());
    }
    List<BatchEncoding> samples = exporter.calibrates() ? samples(directory, positions) : List.of();
    exporter.export(request.build(), samples, out);
    spec.commandLine().getOut().println("wrote " + out + " (" + exporter.format().configName() + ")");
    return 0;
  }

  /**
   * The calibration texts, each tokenised on its own (no padding), truncated to the model's positions and the
   * tokenizer's maximum length where they are known.
   */
  private List<BatchEncoding> samples(Path directory, OptionalInt positions) {
    List<String> texts = calibrationTexts().stream().filter(text -> !text.isBlank()).toList();
    if (texts.isEmpty()) {
      throw new ParameterException(spec.commandLine(), "--calibration " + calibration + " holds no text");
    }
    ComposedTokenizer tokenizer = Tokenizers.load(directory);
    OptionalInt maxLength = IntStream.concat(positions.stream(), tokenizer.modelMaxLength().stream()).min();
    EncodeOptions options = maxLength.isEmpty() ? EncodeOptions.DEFAULT : EncodeOptions.builder()
        .truncation(EncodeOptions.Truncation.LONGEST_FIRST).maxLength(maxLength.getAsInt()).build();
    return texts.stream().map(text -> tokenizer.encodeBatch(List.of(TextInput.of(text)), options)).toList();
  }

  private List<String> calibrationTexts() {
    if (calibration == null) {
      try (InputStream in = ExportCommand.class.getResourceAsStream(DEFAULT_CALIBRATION)) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
      } catch (IOException e) {
        throw new UncheckedIOException("the CLI's calibration texts are unreadable", e);
      }
    }
    try {
      return Files.readAllLines(calibration, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ParameterException(spec.commandLine(), "--calibration " + FileErrors.describe(e));
    }
  }
}
