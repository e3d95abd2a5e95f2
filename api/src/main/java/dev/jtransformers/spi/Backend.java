package dev.jtransformers.spi;

import dev.jtransformers.api.Device;
import dev.jtransformers.api.Model;
import dev.jtransformers.api.ModelOptions;
import java.nio.file.Path;
import java.util.Set;

/**
 * An inference engine, found with {@link java.util.ServiceLoader}: putting a backend jar on the classpath makes
 * it available. Discovery must be cheap: implementations load native libraries in {@link #load}, never in their
 * constructor.
 */
public interface Backend {

  /** The name users select it by, e.g. {@code onnx}. */
  String name();

  /** Rank among backends that can load a model when none is named; higher wins. Ties are broken by name. */
  int priority();

  /** The devices this backend can run on. */
  Set<Device.Type> supportedDevices();

  /** The formats this backend reads networks from. */
  Set<ModelFormat> modelFormats();

  /** Whether the directory holds a model in one of its {@link #modelFormats()} (e.g. {@code onnx/model.onnx}). */
  boolean canLoad(Path modelDirectory);

  /**
   * Loads the model in {@code modelDirectory}.
   *
   * @throws dev.jtransformers.api.ModelLoadException naming the file, if the model can't be read
   * @throws dev.jtransformers.api.BackendException if the device is unsupported or the engine fails to start
   */
  Model load(Path modelDirectory, ModelOptions options);
}
