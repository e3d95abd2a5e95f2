package dev.jtransformers.cli;

import dev.jtransformers.api.TransformersException;
import dev.jtransformers.pipelines.TaskRegistry;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** The {@code jtransformers} command. */
@Command(
    name = "jtransformers",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Hugging Face-style transformer pipelines on the JVM.",
    subcommands = {TokenizeCommand.class, TrainHeadCommand.class, FineTuneCommand.class, MergeAdapterCommand.class,
      ExportCommand.class, ServeCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;


  private Main() {}

  /** A bare {@code jtransformers} prints the usage. */
  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static void main(String[] args) {
    OptionalInt relaunched = EngineEnvironment.relaunchIfNeeded(args);
    System.exit(relaunched.isPresent() ? relaunched.getAsInt() : commandLine().execute(args));
  }

  /** The command line with all subcommands, as {@link #main} runs it (tests run it in-process). */
  static CommandLine commandLine() {
    PipelineCommand pipeline = new PipelineCommand(TaskRegistry.fromServiceLoader());
    CommandLine pipelineLine = new CommandLine(pipeline);
    pipeline.addTaskOptions(pipelineLine.getCommandSpec());
    // JSON Lines are UTF-8 whatever the platform's default charset is.
    return new CommandLine(new Main())
        .addSubcommand(pipelineLine)
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setExecutionExceptionHandler(Main::reportFailure)
        .setParameterExceptionHandler(Main::reportUsageError)
        .setOut(new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true))
        .setErr(new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true));
  }

  /**
   * Our own errors (missing model, bad config), caller mistakes and unreadable files are reported as one line, not
   * a stack trace; anything else is a bug and keeps its trace.
   */
  private static int reportFailure(Exception e, CommandLine cmd, CommandLine.ParseResult parseResult)
      throws Exception {
    if (e instanceof TransformersException || e instanceof IllegalArgumentException) {
      cmd.getErr().println("error: " + e.getMessage());
      return 1;
    }
    if (e instanceof IOException io) {
      cmd.getErr().println("error: " + FileErrors.describe(io));
      return 1;
    }
    if (e instanceof UncheckedIOException io) {
      cmd.getErr().println("error: " + io.getMessage());
      return 1;
    }
    throw e;
  }

  /** A usage mistake: the message and where to look, not the whole help page. */
  private static int reportUsageError(CommandLine.ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    cmd.getErr().println("error: " + e.getMessage());
    cmd.getErr().println("see '" + cmd.getCommandSpec().qualifiedName() + " --help'");
    return cmd.getCommandSpec().exitCodeOnInvalidInput();
  }

  /** Reports the version from the jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"jtransformers " + (v == null ? "(development build)" : v)};
    }
  }
}
