package dev.jtransformers.server;

/** What every route reads: the configuration, how answers are written, and the pipelines once they are loaded. */
final class ServerState {
  private final ServerConfig config;
  private final Answers answers;
  private volatile ServedPipelines pipelines;

  ServerState(ServerConfig config, Answers answers) {
    this.config = config;
    this.answers = answers;
  }

  ServerConfig config() {
    return config;
  }

  Answers answers() {
    return answers;
  }

  /** Whether the models are loaded (and the server not shutting down). */
  boolean ready() {
    return pipelines != null;
  }

  void ready(ServedPipelines loaded) {
    pipelines = loaded;
  }

  /**
   * The loaded pipelines.
   *
   * @throws ApiException 503 while they are loading or after shutdown began
   */
  ServedPipelines pipelines() {
    ServedPipelines loaded = pipelines;
    if (loaded == null) {
      throw ApiException.unavailable("the server is not ready: its models are loading, or it is shutting down");
    }
    return loaded;
  }

  /**
   * Checks one request's number of inputs against {@link ServerConfig#maxInputs()}.
   *
   * @throws ApiException 400 for none, 413 for too many
   */
  void checkInputCount(int inputs) {
    if (inputs == 0) {
      throw ApiException.empty("the request has no inputs");
    }
    if (inputs > config.maxInputs()) {
      throw ApiException.tooLarge("the request has " + inputs + " inputs; this server takes at most "
          + config.maxInputs() + " per request (max_inputs)");
    }
  }
}
