package dev.jtransformers.backend.tensorflow;

import dev.jtransformers.api.BackendException;
import dev.jtransformers.api.Device;
import dev.jtransformers.spi.LoadRequest;
import java.util.Optional;
import org.tensorflow.DeviceSpec;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GPUOptions;

/**
 * Where a model runs, as TensorFlow session settings: the request's thread counts, and either the CPU alone (no GPU
 * is used even by the GPU build) or the one GPU the request names, which the session then sees as {@code GPU:0}.
 * Immutable.
 */
final class Placement {
  private final Device device;
  private final ConfigProto config;

  private Placement(Device device, ConfigProto config) {
    this.device = device;
    this.config = config;
  }

  /**
   * The placement a request asks for.
   *
   * @throws BackendException with {@link TensorFlowBackend#GPU_BUILD_HINT}, for a CUDA device without TensorFlow's
   *     GPU build
   */
  static Placement of(LoadRequest request) {
    Device device = request.device();
    ConfigProto.Builder config =
        ConfigProto.newBuilder()
            .setIntraOpParallelismThreads(request.intraOpThreads())
            .setInterOpParallelismThreads(request.interOpThreads());
    if (device.type() == Device.Type.CUDA) {
      if (!NativeRuntime.hasGpuBuild()) {
        throw new BackendException(
            "device " + device + " needs TensorFlow's GPU build: " + TensorFlowBackend.GPU_BUILD_HINT);
      }
      // Soft placement lets the few ops without GPU kernels a SavedModel may hold fall back to the CPU.
      config.setAllowSoftPlacement(true)
          .setGpuOptions(
              GPUOptions.newBuilder().setVisibleDeviceList(Integer.toString(device.index())).setAllowGrowth(true));
    } else {
      config.putDeviceCount("GPU", 0);
    }
    return new Placement(device, config.build());
  }

  ConfigProto config() {
    return config;
  }

  /** Where a graph built here places its nodes: the GPU for CUDA, else anywhere (the session has only the CPU). */
  Optional<DeviceSpec> deviceSpec() {
    return device.type() == Device.Type.CUDA ? Optional.of(gpu()) : Optional.empty();
  }

  /**
   * Checks that the device is there, by running one node pinned to it without soft placement: TensorFlow would
   * otherwise fall back to the CPU silently.
   *
   * @throws BackendException naming the device, if TensorFlow sees no such GPU
   */
  void requireDevice() {
    if (device.type() != Device.Type.CUDA) {
      return;
    }
    ConfigProto strict = config.toBuilder().setAllowSoftPlacement(false).build();
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph).withDevice(gpu());
      try (Session session = new Session(graph, strict)) {
        session.runner().fetch(tf.identity(tf.constant(1f))).run().close(); // placed and ran: nothing to read
      }
    } catch (TensorFlowException e) {
      throw new BackendException(
          "TensorFlow's GPU build finds no GPU for " + device + " (needs CUDA 12 and a visible device): "
              + e.getMessage(), e);
    }
  }

  private static DeviceSpec gpu() {
    return DeviceSpec.newBuilder().deviceType(DeviceSpec.DeviceType.GPU).deviceIndex(0).build();
  }
}
