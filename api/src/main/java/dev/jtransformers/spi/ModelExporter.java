package dev.jtransformers.spi;

import dev.jtransformers.api.BackendException;
import dev.jtransformers.api.BatchEncoding;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Writes a model in another format, e.g. a checkpoint's {@code model.safetensors} as a TensorFlow SavedModel, found
 * with {@link java.util.ServiceLoader} (register it in {@code META-INF/services/dev.jtransformers.spi.ModelExporter})
 * and selected by {@link #name()} through a {@link ProviderRegistry}, so that a command line can export without
 * depending on the backend that does it. Discovery must be cheap: native libraries load in {@link #export}.
 */
public interface ModelExporter {

  /** The name users select it by, e.g. {@code saved_model}; also the registry key. */
  String name();

  /** The Maven coordinates of the jar that provides it, {@code groupId:artifactId}, for messages. */
  String artifact();

  /** The format it writes. */
  ModelFormat format();

  /** The formats it reads the source model from, the one it prefers first. */
  List<ModelFormat> sourceFormats();

  /**
   * Writes the model {@code source} describes into {@code out}, a directory that a backend reading {@link #format()}
   * loads back: the network, with the source's {@code config.json} and tokenizer files beside it, so that it serves
   * a pipeline as the source did.
   *
   * @param source the model to export, in one of the {@link #sourceFormats()}
   * @param out the directory to write; it must not exist yet or be empty
   * @throws IllegalArgumentException naming {@code out}, if it exists and is not an empty directory
   * @throws dev.jtransformers.api.ModelLoadException naming the file, if the source can't be read
   * @throws dev.jtransformers.api.BackendException if the source format is not one it reads, the engine fails, or
   *     writing fails
   */
  void export(LoadRequest source, Path out);

  /**
   * Whether {@link #export(LoadRequest, List, Path)} measures sample inputs: an exporter whose result depends on the
   * activations the model computes (a quantiser's scales) does; the others ignore samples.
   */
  default boolean calibrates() {
    return false;
  }

  /**
   * Writes the model as {@link #export(LoadRequest, Path)} does, calibrated on {@code samples} if it {@link
   * #calibrates()}: inputs like those the model will serve, tokenised by its tokenizer.
   *
   * @param samples the inputs to measure; empty: as {@link #export(LoadRequest, Path)}
   */
  default void export(LoadRequest source, List<BatchEncoding> samples, Path out) {
    export(source, out);
  }

  /**
   * Checks that {@code source} is in one of the {@link #sourceFormats()}, as {@link #export} requires.
   *
   * @throws dev.jtransformers.api.BackendException naming the exporter, the format and the model, if it is not
   */
  default void requireSourceFormat(LoadRequest source) {
    if (!sourceFormats().contains(source.format())) {
      throw new BackendException("exporter '" + name() + "' reads " + sourceFormats() + ", not " + source.format()
          + " (asked to export " + source.modelDirectory() + ")");
    }
  }

  /**
   * Checks an export's output directory as {@link #export} requires it: absent, or an empty directory.
   *
   * @throws IllegalArgumentException naming {@code out}, if it exists and is not an empty directory
   */
  static void requireEmptyOutput(Path out) {
    if (!Files.exists(out)) {
      return;
    }
    boolean empty;
    try (Stream<Path> entries = Files.list(out)) {
      empty = entries.findAny().isEmpty();
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot export into " + out + ": it is not a readable directory (" + e + ")", e);
    }
    if (!empty) {
      throw new IllegalArgumentException("cannot export into " + out + ": it is not empty");
    }
  }

  /**
   * Copies what a model directory holds beside its network — {@code config.json}, the tokenizer's files, the
   * sentence-transformers modules, anything else — from the source directory {@code from} to the same places under
   * {@code out}, so that the export serves a pipeline as the source did. Left out: the network in every format (the
   * places of each {@link ModelFormat}, and {@code pytorch_model.bin}, {@code tf_model.h5}, a SavedModel at the top)
   * and hidden files, a cache's bookkeeping. The bytes are copied, not the permissions.
   *
   * @throws IOException if a file can't be read or written
   */
  static void copyCompanions(Path from, Path out) throws IOException {
    Set<String> network = new HashSet<>(Set.of("pytorch_model.bin", "tf_model.h5", "saved_model.pb", "variables"));
    for (ModelFormat format : ModelFormat.values()) {
      format.places().stream().filter(place -> !place.isEmpty()).map(place -> Path.of(place).getName(0).toString())
          .forEach(network::add);
    }
    try (Stream<Path> files = Files.walk(from)) {
      for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        Path relative = from.relativize(file);
        String top = relative.getName(0).toString();
        if (!network.contains(top) && !top.startsWith(".")) {
          Path target = out.resolve(relative.toString());
          Files.createDirectories(target.getParent());
          Files.write(target, Files.readAllBytes(file));
        }
      }
    }
  }
}
