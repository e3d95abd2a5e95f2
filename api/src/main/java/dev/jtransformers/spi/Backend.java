package dev.jtransformers.spi;

import dev.jtransformers.api.BackendException;
import dev.jtransformers.api.Device;
import dev.jtransformers.api.Model;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * An inference engine, found with {@link java.util.ServiceLoader} (register it in {@code
 * META-INF/services/dev.jtransformers.spi.Backend}): putting a backend jar on the classpath makes it available.
 * Discovery must be cheap: implementations load native libraries in {@link #load}, never in their constructor, and
 * the methods other than {@code load} only describe the backend.
 */
public interface Backend {

  /** The name users select it by and prefix its options with, e.g. {@code onnx}; without dots. */
  String name();

  /** The Maven coordinates of the jar that provides it, {@code groupId:artifactId}, for messages. */
  String artifact();

  /** Rank among backends that can load a model when none is named; higher wins. Ties are broken by name. */
  int priority();

  /** The devices this backend can run on, as it is installed (e.g. with or without its engine's GPU build). */
  Set<Device.Type> supportedDevices();

  /**
   * What the user could change so that this backend runs on {@code device}, when it does not (e.g. "use the
   * engine's GPU build"); empty if it does, or it has no advice.
   */
  default Optional<String> deviceHint(Device device) {
    return Optional.empty();
  }

  /**
   * The formats this backend reads networks from, the one it prefers first: with no format asked for, it is given
   * the first of these a model directory holds.
   */
  List<ModelFormat> modelFormats();

  /** The options it accepts, set in configuration as {@code <name>.<option>}; none unless overridden. */
  default List<BackendOption<?>> options() {
    return List.of();
  }

  /**
   * Loads the model the request describes.
   *
   * @param request a format this backend reads ({@link #modelFormats()}), and options validated against its {@link
   *     #options()}
   * @throws dev.jtransformers.api.ModelLoadException naming the file, if the model is absent or can't be read
   * @throws dev.jtransformers.api.BackendException if the format is not one it reads, the device is unsupported, or
   *     the engine fails to start
   */
  Model load(LoadRequest request);

  /**
   * The request's model file, after checking that this backend reads the request's format: what every {@link #load}
   * does first.
   *
   * @throws dev.jtransformers.api.BackendException if the format is not one of {@link #modelFormats()}
   * @throws dev.jtransformers.api.ModelLoadException naming the places looked in, if the directory lacks the file
   */
  default Path requireModelFile(LoadRequest request) {
    if (!modelFormats().contains(request.format())) {
      throw new BackendException("backend '" + name() + "' reads " + modelFormats() + ", not " + request.format()
          + " (asked to load " + request.modelDirectory() + ")");
    }
    return request.format().require(request.modelDirectory());
  }
}
