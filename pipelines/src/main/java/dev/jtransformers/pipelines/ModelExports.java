package dev.jtransformers.pipelines;

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
import java.util.Objects;
import java.util.OptionalInt;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a model in another format through the {@link ModelExporter} of that name on the classpath, as {@code
 * jtransformers export} does: e.g. a checkpoint as a TensorFlow SavedModel ({@code saved_model}), or an ONNX model
 * with int8 weights ({@code onnx_int8}), which calibrates on texts like those the model will serve.
 *
 * <pre>{@code
 * ModelExports.export("sentence-transformers/all-MiniLM-L6-v2", "onnx_int8", Path.of("minilm-int8"));
 * }</pre>
 */
public final class ModelExports {
  /** Sentences of many kinds (news, reviews, captions, questions, code, numbers, four languages), one per line. */
  private static final String CALIBRATION = "calibration.txt";
  private static final Logger LOG = LoggerFactory.getLogger(ModelExports.class);

  private ModelExports() {}

  /**
   * The texts an exporter that calibrates measures unless given others: 202 sentences of many kinds, written for it
   * (none taken from an evaluation set).
   */
  public static List<String> defaultCalibrationTexts() {
    try (InputStream in = ModelExports.class.getResourceAsStream(CALIBRATION)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(line -> !line.isBlank()).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("the default calibration texts are unreadable", e);
    }
  }

  /**
   * Exports with the {@link #defaultCalibrationTexts()}.
   *
   * @see #export(String, String, List, Path)
   */
  public static ModelFormat export(String modelIdOrDirectory, String format, Path out) {
    return export(modelIdOrDirectory, format, defaultCalibrationTexts(), out);
  }

  /**
   * Writes the model in {@code format} into {@code out}, with its configuration and tokenizer files beside it, so that
   * a pipeline serves it as it served the source.
   *
   * @param modelIdOrDirectory a model directory, or the id of an embedded model
   * @param format the exporter's name, e.g. {@code onnx_int8}
   * @param calibrationTexts what an exporter that calibrates measures, each text tokenised on its own by the model's
   *     tokenizer; ignored by the others, and (with a warning) for a model without a tokenizer
   * @param out the directory to write: new or empty
   * @return the format written, which a backend loads it back by
   * @throws IllegalArgumentException if no exporter has that name, {@code out} is not empty, or there is no text to
   *     calibrate on
   * @throws ModelLoadException if the model has no file the exporter reads, or can't be read
   */
  public static ModelFormat export(String modelIdOrDirectory, String format, List<String> calibrationTexts, Path out) {
    Objects.requireNonNull(calibrationTexts, "calibrationTexts");
    Objects.requireNonNull(out, "out");
    ModelExporter exporter =
        ProviderRegistry.discover(ModelExporter.class, "model exporter", ModelExporter::name).get(format);
    ModelResolver resolver = new ModelResolver();
    Path directory = resolver.resolve(modelIdOrDirectory);
    ModelFormat source = exporter.sourceFormats().stream()
        .filter(f -> f.locate(directory).isPresent())
        .findFirst()
        .orElseThrow(() -> new ModelLoadException("no model in " + directory + " that '" + format
            + "' exports from: expected "
            + exporter.sourceFormats().stream().map(ModelFormat::describeFiles).collect(Collectors.joining("; or "))));
    LoadRequest.Builder request = LoadRequest.builder(directory, source).cacheDirectory(resolver.cache().root());
    OptionalInt positions = OptionalInt.empty();
    if (Files.exists(directory.resolve(ModelConfig.FILE_NAME))) {
      ModelConfig config = ModelConfig.load(directory);
      request.config(config.toMap());
      positions = OptionalInt.of(config.maxPositionEmbeddings());
    }
    List<BatchEncoding> samples = List.of();
    if (exporter.calibrates() && Tokenizers.isIn(directory)) {
      samples = samples(directory, positions, calibrationTexts);
    } else if (exporter.calibrates()) {
      LOG.warn("{} has no tokenizer.json or vocab.txt to tokenise calibration texts with, so '{}' exports it"
          + " uncalibrated", directory, format);
    }
    exporter.export(request.build(), samples, out);
    return exporter.format();
  }

  /**
   * The texts, each tokenised on its own (no padding), truncated to the model's positions and the tokenizer's
   * maximum length where they are known.
   */
  private static List<BatchEncoding> samples(Path directory, OptionalInt positions, List<String> texts) {
    List<String> given = texts.stream().filter(text -> text != null && !text.isBlank()).toList();
    if (given.isEmpty()) {
      throw new IllegalArgumentException("no text to calibrate on: the calibration texts are all blank");
    }
    ComposedTokenizer tokenizer = Tokenizers.load(directory);
    OptionalInt maxLength = IntStream.concat(positions.stream(), tokenizer.modelMaxLength().stream()).min();
    EncodeOptions options = maxLength.isEmpty() ? EncodeOptions.DEFAULT : EncodeOptions.builder()
        .truncation(EncodeOptions.Truncation.LONGEST_FIRST).maxLength(maxLength.getAsInt()).build();
    return given.stream().map(text -> tokenizer.encodeBatch(List.of(TextInput.of(text)), options)).toList();
  }
}
