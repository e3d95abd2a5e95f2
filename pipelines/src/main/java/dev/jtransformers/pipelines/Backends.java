package dev.jtransformers.pipelines;

import dev.jtransformers.api.BackendException;
import dev.jtransformers.api.Device;
import dev.jtransformers.spi.Backend;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backends a pipeline may run on, and the rule that picks one: the name asked for, else the highest-priority
 * backend that can load the model on the device (ties broken by name, never by classpath order).
 *
 * <p>An ordinary object, so it can be injected and tested; {@link #fromServiceLoader()} discovers the backend jars
 * on the classpath.
 */
public final class Backends {
  private static final Logger LOG = LoggerFactory.getLogger(Backends.class);

  /** Where each known backend comes from, so "none found" can say which artifact to add. */
  private static final Map<String, String> KNOWN_ARTIFACTS =
      Map.of(
          "onnx", "dev.jtransformers:jtransformers-backend-onnx",
          "pytorch", "dev.jtransformers:jtransformers-backend-pytorch",
          "tensorflow", "dev.jtransformers:jtransformers-backend-tensorflow");

  private final List<Backend> backends;

  /**
   * @throws IllegalArgumentException if two backends share a name
   */
  public Backends(Collection<? extends Backend> backends) {
    Set<String> names = new HashSet<>();
    for (Backend b : backends) {
      if (!names.add(b.name())) {
        throw new IllegalArgumentException("two backends are named '" + b.name() + "'");
      }
    }
    this.backends =
        backends.stream()
            .sorted(Comparator.comparingInt(Backend::priority).reversed().thenComparing(Backend::name))
            .collect(Collectors.toUnmodifiableList());
  }

  /**
   * Discovers backends with {@link ServiceLoader}. A provider that fails to load is logged and skipped, so one
   * broken jar does not hide the others.
   */
  public static Backends fromServiceLoader() {
    List<Backend> found = new ArrayList<>();
    Iterator<Backend> it = ServiceLoader.load(Backend.class).iterator();
    while (true) {
      try {
        if (!it.hasNext()) {
          break;
        }
        found.add(it.next());
      } catch (ServiceConfigurationError e) {
        LOG.warn("Skipping a backend that failed to load: {}", e.getMessage());
      }
    }
    return new Backends(found);
  }

  /** All backends, best first. */
  public List<Backend> all() {
    return backends;
  }

  /**
   * Chooses the backend for a model.
   *
   * @param name the backend asked for, or {@code null} to choose by priority
   * @throws BackendException if the named backend is absent, or none can load the model on the device; the
   *     message lists the backends present and the artifacts to add
   */
  public Backend select(String name, Path modelDirectory, Device device) {
    if (name != null) {
      Backend b =
          backends.stream()
              .filter(x -> x.name().equals(name))
              .findFirst()
              .orElseThrow(
                  () ->
                      new BackendException(
                          "no backend named '" + name + "' on the classpath " + present() + "; add "
                              + KNOWN_ARTIFACTS.getOrDefault(name, "the jar that provides it")));
      if (!b.supportedDevices().contains(device.type())) {
        throw new BackendException(
            "backend '" + name + "' does not support device " + device + " (it supports " + b.supportedDevices() + ")");
      }
      if (!b.canLoad(modelDirectory)) {
        throw new BackendException("backend '" + name + "' finds no model it can load in " + modelDirectory);
      }
      return b;
    }
    List<Backend> canLoad = backends.stream().filter(b -> b.canLoad(modelDirectory)).toList();
    return canLoad.stream()
        .filter(b -> b.supportedDevices().contains(device.type()))
        .findFirst()
        .orElseThrow(
            () ->
                canLoad.isEmpty()
                    ? new BackendException(
                        "no backend on the classpath can load " + modelDirectory + " " + present() + "; add one of "
                            + KNOWN_ARTIFACTS.values().stream().sorted().toList()
                            + " (ONNX models need jtransformers-backend-onnx)")
                    : new BackendException(
                        "no backend on the classpath runs " + modelDirectory + " on " + device + ": "
                            + canLoad.stream()
                                .map(b -> b.name() + " supports " + b.supportedDevices())
                                .collect(Collectors.joining(", "))
                            + " (a GPU needs the engine's GPU build, e.g. com.microsoft.onnxruntime:onnxruntime_gpu"
                            + " in place of com.microsoft.onnxruntime:onnxruntime)"));
  }

  private String present() {
    return backends.isEmpty()
        ? "(none present)"
        : "(present: "
            + backends.stream().map(b -> b.name() + " reading " + b.modelFormats()).collect(Collectors.joining(", "))
            + ")";
  }
}
