package dev.jtransformers.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The settings engines read only from the process environment, once, when they start: ONNX Runtime's telemetry
 * opt-out, DJL's (which the product also sets in-process) and TensorFlow's C++ log level (quiet below warnings). A
 * JVM cannot change its own environment, so the command relaunches itself, once, with those it lacks set, unless
 * the user keeps the engines' defaults with {@value #ALLOW}{@code =true}. A variable the user set is never changed
 * ({@code TF_CPP_MIN_LOG_LEVEL=0} turns TensorFlow's logging back up).
 */
final class EngineEnvironment {
  /** Set to {@code true} to let the engines keep their own defaults, telemetry included. */
  static final String ALLOW = "JTRANSFORMERS_ENGINE_TELEMETRY";

  private static final Map<String, String> SETTINGS =
      Map.of("ORT_DISABLE_TELEMETRY", "1", "OPT_OUT_TRACKING", "true", "DJL_OFFLINE", "true", "TF_CPP_MIN_LOG_LEVEL",
          "1");

  private EngineEnvironment() {}

  /**
   * Runs the command in a child JVM with the settings set, when this one lacks some.
   *
   * @return the child's exit status; empty when this JVM should run the command itself
   */
  static OptionalInt relaunchIfNeeded(String[] args) {
    Map<String, String> environment = System.getenv();
    if ("true".equalsIgnoreCase(environment.get(ALLOW)) || environment.keySet().containsAll(SETTINGS.keySet())) {
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
    SETTINGS.forEach(child.environment()::putIfAbsent);
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
