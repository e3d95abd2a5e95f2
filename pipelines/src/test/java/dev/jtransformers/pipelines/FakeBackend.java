package dev.jtransformers.pipelines;

import dev.jtransformers.api.BatchEncoding;
import dev.jtransformers.api.Device;
import dev.jtransformers.api.Model;
import dev.jtransformers.api.ModelOutput;
import dev.jtransformers.spi.Backend;
import dev.jtransformers.spi.BackendOption;
import dev.jtransformers.spi.LoadRequest;
import dev.jtransformers.spi.ModelFormat;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A backend that only describes itself, for tests of backend choice: its "model" holds the request it was loaded
 * with and computes nothing. The nested subclasses have the no-argument constructors {@code ServiceLoader} needs.
 */
class FakeBackend implements Backend {
  /** The one option fakes declare: {@code <name>.level}. */
  enum Level {
    LOW,
    HIGH
  }

  static final BackendOption<Level> LEVEL = BackendOption.choice("level", "a setting to validate", Level.LOW);

  private final String name;
  private final int priority;
  private final Set<Device.Type> devices;
  private final List<ModelFormat> formats;
  private final String deviceHint;

  FakeBackend(String name, int priority, Set<Device.Type> devices, String deviceHint, ModelFormat... formats) {
    this.name = name;
    this.priority = priority;
    this.devices = devices;
    this.deviceHint = deviceHint;
    this.formats = List.of(formats);
  }

  /** A CPU backend without a device hint. */
  static FakeBackend cpu(String name, int priority, ModelFormat... formats) {
    return new FakeBackend(name, priority, EnumSet.of(Device.Type.CPU), null, formats);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String artifact() {
    return "test.fakes:" + name;
  }

  @Override
  public int priority() {
    return priority;
  }

  @Override
  public Set<Device.Type> supportedDevices() {
    return devices;
  }

  @Override
  public Optional<String> deviceHint(Device device) {
    return devices.contains(device.type()) ? Optional.empty() : Optional.ofNullable(deviceHint);
  }

  @Override
  public List<ModelFormat> modelFormats() {
    return formats;
  }

  @Override
  public List<BackendOption<?>> options() {
    return List.of(LEVEL);
  }

  @Override
  public Model load(LoadRequest request) {
    return new Loaded(request);
  }

  /** What a fake backend loads: the request, for the test to inspect; it computes nothing, so it returns nothing. */
  record Loaded(LoadRequest request) implements Model {
    @Override
    public ModelOutput forward(BatchEncoding batch) {
      return ModelOutput.of(Map.of());
    }

    @Override
    public Set<String> outputNames() {
      return Set.of();
    }

    @Override
    public void close() {}
  }

  /** Registered through a services file in the discovery test. */
  public static final class Registered extends FakeBackend {
    public Registered() {
      super("registered", 1, EnumSet.of(Device.Type.CPU), null, ModelFormat.ONNX);
    }
  }

  /** A backend whose jar is broken: it fails while being instantiated. */
  public static final class Broken extends FakeBackend {
    public Broken() {
      super("broken", 1, EnumSet.of(Device.Type.CPU), null, ModelFormat.TORCHSCRIPT);
      throw new IllegalStateException("missing native library");
    }
  }
}
