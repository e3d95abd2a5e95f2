package dev.jtransformers.backend.onnx;

import dev.jtransformers.api.BackendException;
import dev.jtransformers.api.BatchEncoding;
import dev.jtransformers.api.ModelLoadException;
import dev.jtransformers.spi.LoadRequest;
import dev.jtransformers.spi.ModelExporter;
import dev.jtransformers.spi.ModelFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes an ONNX model with its linear layers' weights quantised to int8 ({@code onnx_int8}): dynamic quantisation as
 * ONNX Runtime's {@code quantize_dynamic} does it, one scale per output column (see {@link DynamicQuantization}).
 * Given samples, it measures the range of each channel of the activations those layers read ({@link
 * ActivationRanges}) and smooths them by it, which keeps the int8 model's outputs closer to the float one's. The
 * result is {@code onnx/model.onnx} in {@code out} with every other file of the source directory beside it
 * (configuration, tokenizer, sentence-transformers modules), except the network in other formats, so that it serves
 * the same pipeline. It runs on ONNX Runtime's CPU provider, which has the {@code com.microsoft} operators it uses.
 */
public final class Int8Exporter implements ModelExporter {
  private static final Logger LOG = LoggerFactory.getLogger(Int8Exporter.class);

  /** Creates the exporter; loads nothing native. */
  public Int8Exporter() {}

  @Override
  public String name() {
    return "onnx_int8";
  }

  @Override
  public String artifact() {
    return "dev.jtransformers:jtransformers-backend-onnx";
  }

  @Override
  public ModelFormat format() {
    return ModelFormat.ONNX;
  }

  @Override
  public List<ModelFormat> sourceFormats() {
    return List.of(ModelFormat.ONNX);
  }

  @Override
  public boolean calibrates() {
    return true;
  }

  /** Quantises without smoothing: as {@link #export(LoadRequest, List, Path)} with no samples. */
  @Override
  public void export(LoadRequest source, Path out) {
    export(source, List.of(), out);
  }

  @Override
  public void export(LoadRequest source, List<BatchEncoding> samples, Path out) {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(samples, "samples");
    Objects.requireNonNull(out, "out");
    requireSourceFormat(source);
    ModelExporter.requireEmptyOutput(out);
    Path graph = ModelFormat.ONNX.locate(source.modelDirectory()).orElseThrow(() -> new ModelLoadException(
        "no ONNX model in " + source.modelDirectory() + ": expected " + ModelFormat.ONNX.describeFiles()));
    byte[] model = read(graph);
    Map<String, float[]> ranges =
        samples.isEmpty() ? Map.of() : ActivationRanges.measure(source, graph, model, samples);
    DynamicQuantization.Result quantized = DynamicQuantization.quantize(model, graph.toString(), ranges);
    try {
      Path target = out.resolve(ModelFormat.ONNX.places().get(0));
      Files.createDirectories(target.getParent());
      Files.write(target, quantized.model());
      ModelExporter.copyCompanions(source.modelDirectory(), out);
    } catch (IOException e) {
      throw new BackendException("cannot write the quantised model into " + out + ": " + e, e);
    }
    LOG.info("{}: {} weight matrices ({} parameters) quantised to int8 into {}, {} activations smoothed over {}"
        + " samples", graph, quantized.quantizedWeights(), quantized.quantizedParameters(), out, ranges.size(),
        samples.size());
  }

  private static byte[] read(Path graph) {
    try {
      if (Files.size(graph) > Integer.MAX_VALUE) {
        throw new ModelLoadException(graph + ": over 2 GB, so its weights are in external data, which quantisation"
            + " does not read");
      }
      return Files.readAllBytes(graph);
    } catch (NoSuchFileException e) {
      throw new ModelLoadException(graph + ": no such file", e);
    } catch (IOException e) {
      throw new ModelLoadException(graph + ": cannot read (" + e + ")", e);
    }
  }
}
