package dev.jtransformers.hub;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Where the hub is, where its cache lives, whether to go online, and the token to send: the settings huggingface_hub
 * reads from the environment, read the same way by {@link #fromEnvironment()} (the only place that reads them), or
 * set in code. Immutable.
 *
 * <table>
 *   <caption>Environment variables, as huggingface_hub reads them</caption>
 *   <tr><td>{@code HF_HUB_CACHE}</td><td>the cache, else {@code HUGGINGFACE_HUB_CACHE}, else
 *       {@code $HF_HOME/hub}, else {@code $XDG_CACHE_HOME/huggingface/hub}, else
 *       {@code ~/.cache/huggingface/hub}</td></tr>
 *   <tr><td>{@code HF_ENDPOINT}</td><td>the hub, default {@value #DEFAULT_ENDPOINT}</td></tr>
 *   <tr><td>{@code HF_HUB_OFFLINE}</td><td>{@code 1}, {@code on}, {@code yes} or {@code true}: never go online
 *       (also {@code TRANSFORMERS_OFFLINE})</td></tr>
 *   <tr><td>{@code HF_TOKEN}</td><td>the token, else {@code HUGGING_FACE_HUB_TOKEN}, else the file
 *       {@code $HF_TOKEN_PATH}, else {@code $HF_HOME/token} (written by {@code hf auth login})</td></tr>
 *   <tr><td>{@code HF_HUB_DISABLE_PROGRESS_BARS}</td><td>no progress bars on standard error</td></tr>
 * </table>
 */
public final class HubSettings {
  /** The public Hugging Face Hub. */
  public static final String DEFAULT_ENDPOINT = "https://huggingface.co";

  private static final Set<String> TRUE_VALUES = Set.of("1", "ON", "YES", "TRUE");

  private final URI endpoint;
  private final Path cacheDirectory;
  private final String token;
  private final boolean offline;
  private final boolean progressBars;
  private final int attempts;
  private final Duration retryDelay;

  private HubSettings(Builder b) {
    this.endpoint = b.endpoint;
    this.cacheDirectory = b.cacheDirectory;
    this.token = b.token;
    this.offline = b.offline;
    this.progressBars = b.progressBars;
    this.attempts = b.attempts;
    this.retryDelay = b.retryDelay;
  }

  /** Online, on the public hub, without a token, with progress bars; the cache in {@code cacheDirectory}. */
  public static Builder builder(Path cacheDirectory) {
    return new Builder(cacheDirectory);
  }

  /** The settings the process environment gives (see the class description). */
  public static HubSettings fromEnvironment() {
    return fromEnvironment(System::getenv, Path.of(System.getProperty("user.home")));
  }

  static HubSettings fromEnvironment(UnaryOperator<String> environment, Path home) {
    Path hfHome =
        variable(environment, "HF_HOME")
            .map(value -> expandHome(value, home))
            .orElseGet(() -> variable(environment, "XDG_CACHE_HOME")
                .map(value -> expandHome(value, home))
                .orElse(home.resolve(".cache"))
                .resolve("huggingface"));
    Path cache =
        variable(environment, "HF_HUB_CACHE")
            .or(() -> variable(environment, "HUGGINGFACE_HUB_CACHE"))
            .map(value -> expandHome(value, home))
            .orElse(hfHome.resolve("hub"));
    Builder b = builder(cache);
    variable(environment, "HF_ENDPOINT").ifPresent(value -> b.endpoint(URI.create(value)));
    b.offline(isTrue(environment, "HF_HUB_OFFLINE") || isTrue(environment, "TRANSFORMERS_OFFLINE"));
    b.progressBars(!isTrue(environment, "HF_HUB_DISABLE_PROGRESS_BARS"));
    Optional<String> token =
        variable(environment, "HF_TOKEN")
            .or(() -> variable(environment, "HUGGING_FACE_HUB_TOKEN"))
            .or(() -> readToken(variable(environment, "HF_TOKEN_PATH")
                .map(value -> expandHome(value, home))
                .orElse(hfHome.resolve("token"))));
    token.map(HubSettings::cleanToken).filter(t -> !t.isEmpty()).ifPresent(b::token);
    return b.build();
  }

  /** The hub's base URL, without a trailing slash. */
  public URI endpoint() {
    return endpoint;
  }

  /** The cache directory, in huggingface_hub's layout and shared with it. */
  public Path cacheDirectory() {
    return cacheDirectory;
  }

  /** The token sent as {@code Authorization: Bearer …}; needed for gated and private repositories. */
  public Optional<String> token() {
    return Optional.ofNullable(token);
  }

  /** Whether the network is never used: only what the cache holds is available. */
  public boolean offline() {
    return offline;
  }

  /** Whether downloads of large files show a progress bar on standard error. */
  public boolean progressBars() {
    return progressBars;
  }

  /** How many times a request is tried when the hub is unreachable or answers 429 or 5xx. */
  public int attempts() {
    return attempts;
  }

  /** The wait before the first retry; it doubles with each one. */
  public Duration retryDelay() {
    return retryDelay;
  }

  /** A builder holding these settings. */
  public Builder toBuilder() {
    Builder b = new Builder(cacheDirectory);
    b.endpoint = endpoint;
    b.token = token;
    b.offline = offline;
    b.progressBars = progressBars;
    b.attempts = attempts;
    b.retryDelay = retryDelay;
    return b;
  }

  /** The settings without the token, which must not reach logs. */
  @Override
  public String toString() {
    return "HubSettings[endpoint=" + endpoint + ", cache=" + cacheDirectory + ", offline=" + offline
        + ", token=" + (token == null ? "none" : "set") + "]";
  }

  private static Optional<String> variable(UnaryOperator<String> environment, String name) {
    return Optional.ofNullable(environment.apply(name)).filter(value -> !value.isEmpty());
  }

  private static boolean isTrue(UnaryOperator<String> environment, String name) {
    return variable(environment, name).map(v -> TRUE_VALUES.contains(v.toUpperCase(Locale.ROOT))).orElse(false);
  }

  /** {@code ~} and {@code ~/…} as Python's {@code os.path.expanduser} reads them. */
  private static Path expandHome(String value, Path home) {
    if (value.equals("~")) {
      return home;
    }
    return value.startsWith("~/") ? home.resolve(value.substring(2)) : Path.of(value);
  }

  private static Optional<String> readToken(Path file) {
    try {
      return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the Hugging Face token file " + file, e);
    }
  }

  /** As huggingface_hub cleans one: line breaks removed, then trimmed. */
  private static String cleanToken(String token) {
    return token.replace("\r", "").replace("\n", "").strip();
  }

  /** Builds {@link HubSettings}; every setting but the cache directory has a default. */
  public static final class Builder {
    private URI endpoint = URI.create(DEFAULT_ENDPOINT);
    private Path cacheDirectory;
    private String token;
    private boolean offline;
    private boolean progressBars = true;
    private int attempts = 5;
    private Duration retryDelay = Duration.ofSeconds(1);

    private Builder(Path cacheDirectory) {
      cacheDirectory(cacheDirectory);
    }

    /** The cache directory; made absolute. */
    public Builder cacheDirectory(Path cacheDirectory) {
      this.cacheDirectory = Objects.requireNonNull(cacheDirectory, "cacheDirectory").toAbsolutePath().normalize();
      return this;
    }

    /**
     * The hub's base URL, e.g. a mirror's.
     *
     * @throws IllegalArgumentException if it is not an absolute {@code http} or {@code https} URL
     */
    public Builder endpoint(URI endpoint) {
      Objects.requireNonNull(endpoint, "endpoint");
      if (!"http".equals(endpoint.getScheme()) && !"https".equals(endpoint.getScheme())) {
        throw new IllegalArgumentException("hub endpoint must be an http(s) URL, got '" + endpoint + "'");
      }
      String text = endpoint.toString();
      this.endpoint = URI.create(text.endsWith("/") ? text.replaceAll("/+$", "") : text);
      return this;
    }

    /** The token for gated and private repositories; {@code null} for none. */
    public Builder token(String token) {
      this.token = token;
      return this;
    }

    /** Whether never to use the network. */
    public Builder offline(boolean offline) {
      this.offline = offline;
      return this;
    }

    /** Whether to show progress bars for large downloads. */
    public Builder progressBars(boolean progressBars) {
      this.progressBars = progressBars;
      return this;
    }

    /**
     * How often a request is tried, and the wait before the first retry (doubling after each).
     *
     * @throws IllegalArgumentException if {@code attempts} is below 1 or the delay is negative
     */
    public Builder retries(int attempts, Duration retryDelay) {
      if (attempts < 1 || retryDelay.isNegative()) {
        throw new IllegalArgumentException(
            "attempts must be at least 1 and the delay not negative, got " + attempts + " and " + retryDelay);
      }
      this.attempts = attempts;
      this.retryDelay = retryDelay;
      return this;
    }

    public HubSettings build() {
      return new HubSettings(this);
    }
  }
}
