package dev.jtransformers.pipelines;

import dev.jtransformers.api.BackendException;
import dev.jtransformers.api.Device;
import dev.jtransformers.spi.Backend;
import dev.jtransformers.spi.ModelFormat;
import dev.jtransformers.spi.ProviderRegistry;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The backends a pipeline may run on, and the rule that picks one and the format it reads: the backend named, else
 * the highest-priority backend that reads a format the model directory holds and runs on the device (ties broken by
 * name, never by classpath order); the format asked for, else the first the directory holds in the backend's own
 * order of preference.
 *
 * <p>An ordinary object, so it can be injected and tested; {@link #fromServiceLoader()} discovers the backend jars
 * on the classpath, keeping the ones that fail to load for the error messages.
 */
public final class Backends {
  /**
   * The backends this project publishes, for saying which jar to add when none on the classpath fits: a backend
   * that is absent cannot name its own artifact. Backends on the classpath name theirs ({@link Backend#artifact()}).
   */
  private enum ProjectBackend {
    ONNX("onnx", "dev.jtransformers:jtransformers-backend-onnx", ModelFormat.ONNX),
    PYTORCH(
        "pytorch", "dev.jtransformers:jtransformers-backend-pytorch", ModelFormat.TORCHSCRIPT, ModelFormat.SAFETENSORS),
    TENSORFLOW(
        "tensorflow",
        "dev.jtransformers:jtransformers-backend-tensorflow",
        ModelFormat.TENSORFLOW_SAVED_MODEL,
        ModelFormat.SAFETENSORS);

    private final String backendName;
    private final String artifact;
    private final List<ModelFormat> formats;

    ProjectBackend(String backendName, String artifact, ModelFormat... formats) {
      this.backendName = backendName;
      this.artifact = artifact;
      this.formats = List.of(formats);
    }

    static Optional<ProjectBackend> named(String name) {
      return Arrays.stream(values()).filter(b -> b.backendName.equals(name)).findFirst();
    }

    @Override
    public String toString() {
      return artifact + " (reads " + formats + ")";
    }
  }

  /**
   * The backend chosen for a model, and the format it is to read.
   *
   * @param backend the backend
   * @param format one of its {@link Backend#modelFormats()} that the model directory holds
   */
  public record Selection(Backend backend, ModelFormat format) {
    public Selection {
      Objects.requireNonNull(backend, "backend");
      Objects.requireNonNull(format, "format");
    }
  }

  private final ProviderRegistry<Backend> registry;
  private final List<Backend> byRank;

  /**
   * Exactly these backends.
   *
   * @throws IllegalArgumentException if two backends share a name, or a name has a dot (it would blur the {@code
   *     <backend>.<option>} keys of backend options)
   */
  public Backends(Collection<? extends Backend> backends) {
    this(ProviderRegistry.of("backend", Backend::name, backends));
  }

  private Backends(ProviderRegistry<Backend> registry) {
    for (String name : registry.names()) {
      if (name.isEmpty() || name.contains(".")) {
        throw new IllegalArgumentException("backend name '" + name + "' must be non-empty and have no dot");
      }
    }
    this.registry = registry;
    // The registry lists by name, and the sort is stable: equal priorities stay in name order.
    this.byRank = registry.all().stream().sorted(Comparator.comparingInt(Backend::priority).reversed()).toList();
  }

  /** The backends registered in {@code META-INF/services} on the thread's context class loader. */
  public static Backends fromServiceLoader() {
    return discover(Thread.currentThread().getContextClassLoader());
  }

  /**
   * The backends registered in {@code META-INF/services} visible to {@code classLoader}. One that fails to load is
   * logged, skipped, and named in the errors of {@link #select}.
   *
   * @throws IllegalArgumentException as {@link #Backends(Collection)} does
   */
  public static Backends discover(ClassLoader classLoader) {
    return new Backends(ProviderRegistry.discover(Backend.class, "backend", Backend::name, classLoader));
  }

  /** All backends, best first: by priority, then name. */
  public List<Backend> all() {
    return byRank;
  }

  /** The backends that failed to load, each as its class and cause. */
  public List<String> failures() {
    return registry.failures();
  }

  /**
   * Chooses the backend for a model and the format it reads.
   *
   * @param name the backend asked for; empty to choose by priority
   * @param format the format asked for; empty for the backend's preferred one among those the directory holds
   * @throws BackendException if the named backend is absent or does not run on the device, if no backend reads the
   *     model's formats or runs on the device, or if the format asked for is not in the directory or not read by the
   *     named backend; the message lists the backends present, those that failed to load, the formats found, and
   *     what to add or change
   */
  public Selection select(Optional<String> name, Optional<ModelFormat> format, Path modelDirectory, Device device) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(modelDirectory, "modelDirectory");
    Objects.requireNonNull(device, "device");
    Set<ModelFormat> present = ModelFormat.present(modelDirectory);
    if (name.isPresent()) {
      Backend backend = named(name.get());
      if (!backend.supportedDevices().contains(device.type())) {
        throw new BackendException(
            "backend '" + backend.name() + "' does not run on " + device + " (it supports "
                + backend.supportedDevices() + ")" + backend.deviceHint(device).map(hint -> "; " + hint).orElse(""));
      }
      return new Selection(backend, formatFor(backend, format, present, modelDirectory));
    }
    format.ifPresent(asked -> requirePresent(asked, present, modelDirectory));
    Predicate<Backend> reads =
        backend -> format.map(backend.modelFormats()::contains).orElseGet(() -> readsAny(backend, present));
    List<Backend> readers = byRank.stream().filter(reads).toList();
    if (readers.isEmpty()) {
      throw noReader(format.map(Set::of).orElse(present), modelDirectory);
    }
    Backend chosen =
        readers.stream()
            .filter(backend -> backend.supportedDevices().contains(device.type()))
            .findFirst()
            .orElseThrow(
                () ->
                    new BackendException(
                        "no backend on the classpath runs " + modelDirectory + " on " + device + ": "
                            + readers.stream()
                                .map(b -> b.name() + " supports " + b.supportedDevices()
                                    + b.deviceHint(device).map(hint -> " (" + hint + ")").orElse(""))
                                .collect(Collectors.joining(", "))));
    return new Selection(chosen, formatFor(chosen, format, present, modelDirectory));
  }

  private Backend named(String name) {
    return registry
        .find(name)
        .orElseThrow(
            () ->
                new BackendException(
                    registry.unknown(name) + "; add "
                        + ProjectBackend.named(name).map(b -> b.artifact).orElse("the jar that provides it")));
  }

  /** The format asked for if the backend reads it, else the first the directory holds in the backend's order. */
  private static ModelFormat formatFor(
      Backend backend, Optional<ModelFormat> asked, Set<ModelFormat> present, Path modelDirectory) {
    if (asked.isPresent()) {
      if (!backend.modelFormats().contains(asked.get())) {
        throw new BackendException(
            "backend '" + backend.name() + "' cannot read " + asked.get() + ": it reads " + backend.modelFormats()
                + "; " + modelDirectory + " holds " + describe(present));
      }
      if (!present.contains(asked.get())) {
        throw new BackendException(
            "backend '" + backend.name() + "' reads " + backend.modelFormats() + ", but " + modelDirectory
                + " holds no " + asked.get() + " model (" + asked.get().describeFiles() + "); it holds "
                + describe(present));
      }
      return asked.get();
    }
    return backend.modelFormats().stream()
        .filter(present::contains)
        .findFirst()
        .orElseThrow(
            () ->
                new BackendException(
                    "backend '" + backend.name() + "' reads " + backend.modelFormats() + ", but " + modelDirectory
                        + " holds " + describe(present)));
  }

  private static void requirePresent(ModelFormat format, Set<ModelFormat> present, Path modelDirectory) {
    if (!present.contains(format)) {
      throw new BackendException(
          "no " + format + " model (" + format.describeFiles() + ") in " + modelDirectory + ", which holds "
              + describe(present));
    }
  }

  private static boolean readsAny(Backend backend, Set<ModelFormat> formats) {
    return backend.modelFormats().stream().anyMatch(formats::contains);
  }

  /** No backend present reads the formats wanted from the directory: say which of the project's backends would. */
  private BackendException noReader(Set<ModelFormat> wanted, Path modelDirectory) {
    if (wanted.isEmpty()) {
      return new BackendException(
          "no backend can load " + modelDirectory + ": it holds " + describe(wanted) + " " + present());
    }
    List<ProjectBackend> candidates =
        Arrays.stream(ProjectBackend.values()).filter(b -> b.formats.stream().anyMatch(wanted::contains)).toList();
    return new BackendException(
        "no backend on the classpath reads " + wanted + " from " + modelDirectory + " " + present()
            + (candidates.isEmpty() ? "" : "; add one of " + candidates));
  }

  private static String describe(Set<ModelFormat> present) {
    return present.isEmpty()
        ? "no model in any known format (looked for "
            + Arrays.stream(ModelFormat.values()).map(ModelFormat::describeFiles).collect(Collectors.joining(", "))
            + ")"
        : present.toString();
  }

  /** The backends present, with their artifacts and formats, and those that failed to load. */
  private String present() {
    String backends =
        byRank.isEmpty()
            ? "none present"
            : "present: "
                + byRank.stream()
                    .map(b -> b.name() + " from " + b.artifact() + " reading " + b.modelFormats())
                    .collect(Collectors.joining(", "));
    return "(" + backends + (failures().isEmpty() ? "" : "; failed to load: " + failures()) + ")";
  }

  @Override
  public String toString() {
    return registry.toString();
  }
}
