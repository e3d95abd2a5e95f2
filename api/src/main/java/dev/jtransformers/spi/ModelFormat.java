package dev.jtransformers.spi;

import dev.jtransformers.api.ModelLoadException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The serialised forms a {@link Backend} may read a network from, each with the places in a model directory where
 * its files live. One directory may hold several (Hugging Face checkpoints often ship {@code model.safetensors}
 * beside {@code onnx/model.onnx}); {@link #present} lists them.
 */
public enum ModelFormat {
  /** An ONNX graph: {@code onnx/model.onnx} (Hugging Face's layout) or {@code model.onnx}. */
  ONNX("onnx/model.onnx", "model.onnx"),
  /** A TorchScript module: {@code model.pt}. */
  TORCHSCRIPT("model.pt"),
  /**
   * Weights only, {@code model.safetensors}, with the {@code config.json} that describes the network: for engines
   * that build the network themselves.
   */
  SAFETENSORS("model.safetensors") {
    @Override
    public Optional<Path> locate(Path modelDirectory) {
      return Files.isRegularFile(modelDirectory.resolve(CONFIG_FILE)) ? super.locate(modelDirectory) : Optional.empty();
    }

    @Override
    public String describeFiles() {
      return super.describeFiles() + " with " + CONFIG_FILE;
    }
  },
  /**
   * A TensorFlow SavedModel: a directory holding {@code saved_model.pb}, either {@code saved_model/} or the model
   * directory itself.
   */
  TENSORFLOW_SAVED_MODEL("saved_model", "") {
    @Override
    public Optional<Path> locate(Path modelDirectory) {
      Objects.requireNonNull(modelDirectory, "modelDirectory");
      return places().stream()
          .map(modelDirectory::resolve)
          .filter(directory -> Files.isRegularFile(directory.resolve(SAVED_MODEL_FILE)))
          .findFirst();
    }

    @Override
    public String describeFiles() {
      return "saved_model/" + SAVED_MODEL_FILE + " or " + SAVED_MODEL_FILE;
    }
  };

  /** The configuration file the {@link #SAFETENSORS} format needs beside its weights. */
  private static final String CONFIG_FILE = "config.json";

  /** The file that marks a SavedModel directory. */
  private static final String SAVED_MODEL_FILE = "saved_model.pb";

  private final List<String> places;

  ModelFormat(String... places) {
    this.places = List.of(places);
  }

  /** Where the model is looked for, relative to the model directory, in order ({@code ""}: the directory itself). */
  public List<String> places() {
    return places;
  }

  /**
   * What an engine opens to read this format from the model directory: the first of {@link #places()} that holds
   * it (the file, or the SavedModel directory); empty if the directory holds none.
   */
  public Optional<Path> locate(Path modelDirectory) {
    Objects.requireNonNull(modelDirectory, "modelDirectory");
    return places.stream().map(modelDirectory::resolve).filter(Files::isRegularFile).findFirst();
  }

  /**
   * Like {@link #locate}, for a backend about to load this format.
   *
   * @throws ModelLoadException naming the directory and the places looked at, if it holds none
   */
  public Path require(Path modelDirectory) {
    return locate(modelDirectory)
        .orElseThrow(
            () ->
                new ModelLoadException(
                    "no " + this + " model in " + modelDirectory + ": expected " + describeFiles()));
  }

  /** The places, for messages, e.g. {@code onnx/model.onnx or model.onnx}. */
  public String describeFiles() {
    return String.join(" or ", places);
  }

  /**
   * The formats {@code modelDirectory} holds a model in, in declaration order; empty if it holds none (or is no
   * directory).
   */
  public static Set<ModelFormat> present(Path modelDirectory) {
    Objects.requireNonNull(modelDirectory, "modelDirectory");
    EnumSet<ModelFormat> present = EnumSet.noneOf(ModelFormat.class);
    Arrays.stream(values()).filter(format -> format.locate(modelDirectory).isPresent()).forEach(present::add);
    return Collections.unmodifiableSet(present);
  }

  /** The name configuration uses: the constant in lower case, e.g. {@code safetensors}. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The format configuration calls {@code name}.
   *
   * @throws IllegalArgumentException listing the valid names, if there is none of that name
   */
  public static ModelFormat fromConfigName(String name) {
    return Arrays.stream(values())
        .filter(format -> format.configName().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("format must be one of "
            + Arrays.stream(values()).map(ModelFormat::configName).toList() + ", got '" + name + "'"));
  }
}
