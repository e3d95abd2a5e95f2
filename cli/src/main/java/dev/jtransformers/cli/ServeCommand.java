package dev.jtransformers.cli;

import dev.jtransformers.pipelines.PipelineConfig;
import dev.jtransformers.pipelines.PipelineConfigCodec;
import dev.jtransformers.pipelines.PipelineFactory;
import dev.jtransformers.pipelines.TaskRegistry;
import dev.jtransformers.pipelines.spi.DefaultModel;
import dev.jtransformers.server.ModelServer;
import dev.jtransformers.server.ServerConfig;
import dev.jtransformers.server.ServerConfigFile;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code serve}: runs the model server on one pipeline ({@code --task}, {@code --model}) or on the named pipelines of
 * a server configuration file, until the process is stopped; stopping it answers the accepted requests first.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = "Serves pipelines over HTTP: the Inference API (POST /models/NAME), text-embeddings-inference's"
        + " routes (/embed, /predict, /rerank, /tokenize, /info, /health), OpenAI's POST /v1/embeddings,"
        + " /metrics and /openapi.json, with dynamic batching across requests. Binds 127.0.0.1 unless --host says"
        + " otherwise.")
final class ServeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--config", description = "A server configuration file (JSON or YAML) with named pipelines.")
  Path config;

  @Option(names = "--task", description = "The task of the one pipeline to serve, e.g. feature-extraction.")
  String task;

  @Option(names = "--model", description = "Its model id or directory; default: the task's embedded model. The"
      + " pipeline is served as /models/MODEL.")
  String model;

  @Option(names = "--host", description = "The address to bind; default: the configuration's, else 127.0.0.1.")
  String host;

  @Option(names = "--port", description = "The port; default: the configuration's, else 8080 (0: any free one).")
  Integer port;

  @Override
  public Integer call() throws InterruptedException {
    ServerConfig.Builder server = serverConfig().toBuilder();
    if (host != null) {
      server.host(host);
    }
    if (port != null) {
      server.port(port);
    }
    ModelServer running = ModelServer.start(server.build(), PipelineFactory.fromServiceLoader());
    spec.commandLine().getErr().println("serving on http://" + server.build().host() + ":" + running.port());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      running.close();
      stopped.countDown();
    }, "serve-shutdown"));
    stopped.await();
    return 0;
  }

  private ServerConfig serverConfig() {
    TaskRegistry tasks = TaskRegistry.fromServiceLoader();
    if (config != null) {
      if (task != null || model != null) {
        throw new ParameterException(spec.commandLine(), "give --config, or --task and --model, not both");
      }
      return new ServerConfigFile(new PipelineConfigCodec(tasks)).load(config);
    }
    if (task == null) {
      throw new ParameterException(spec.commandLine(), "give --config FILE, or --task (and --model)");
    }
    PipelineConfig.Builder<?> pipeline = PipelineConfig.builder(tasks.get(task));
    String name = model;
    if (model != null) {
      pipeline.model(model);
    } else {
      name = tasks.get(task).defaultModel().map(DefaultModel::model).orElseThrow(() -> new ParameterException(
          spec.commandLine(), "task " + task + " has no default model: give --model"));
    }
    return ServerConfig.builder().pipeline(name, pipeline.build()).build();
  }
}
