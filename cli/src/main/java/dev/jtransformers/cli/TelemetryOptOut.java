package dev.jtransformers.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Makes sure no engine records or sends telemetry from the command line. ONNX Runtime reads its full opt-out only
 * from the process environment, once, when it starts; a JVM cannot change its own environment, so the command
 * relaunches itself, once, with the opt-outs set, unless they are set already or the user allows engine telemetry
 * with {@value #ALLOW}{@code =true}.
 */
final class TelemetryOptOut {
  /** Set to {@code true} to let the engines keep their own telemetry defaults. */
  static final String ALLOW = "JTRANSFORMERS_ENGINE_TELEMETRY";

  /** Each engine's opt-out: ONNX Runtime's, and DJL's (which the product also sets in-process). */
  private static final Map<String, String> OPT_OUTS =
      Map.of("ORT_DISABLE_TELEMETRY", "1", "OPT_OUT_TRACKING", "true", "DJL_OFFLINE", "true");

  private TelemetryOptOut() {}

  /**
   * Runs the command in a child JVM with the opt-outs set, when this one lacks them.
   *
   * @return the child's exit status; empty when this JVM should run the command itself
   */
  static OptionalInt relaunchIfNeeded(String[] args) {
    Map<String, String> environment = System.getenv();
    if ("true".equalsIgnoreCase(environment.get(ALLOW)) || environment.keySet().containsAll(OPT_OUTS.keySet())) {
      return OptionalInt.empty();
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.addAll(List.of(args));
    ProcessBuilder child = new ProcessBuilder(command).inheritIO();
    OPT_OUTS.forEach(child.environment()::putIfAbsent);
    try {
      Process process = child.start();
      Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
      return OptionalInt.of(process.waitFor());
    } catch (IOException e) {
      System.err.println("warning: could not relaunch with engine telemetry off (" + e.getMessage() + "); set"
          + " ORT_DISABLE_TELEMETRY=1 before running this command");
      return OptionalInt.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return OptionalInt.of(130);
    }
  }
}
