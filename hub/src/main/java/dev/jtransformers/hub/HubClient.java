package dev.jtransformers.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's HTTP API, as huggingface_hub calls it: {@code GET /api/models/{repo}/revision/{revision}} for a
 * revision's commit and file list, {@code HEAD /{repo}/resolve/{revision}/{path}} for a file's commit, ETag, size
 * and location, and a {@code GET} of that location for its content. Redirects are followed by hand so that the token
 * never leaves the hub's own host; 429, 5xx and dropped connections are retried with a doubling wait; an
 * interrupted download resumes with a {@code Range} request (or restarts cleanly if the server ignores it).
 * Thread-safe.
 */
final class HubClient {
  private static final Logger LOG = LoggerFactory.getLogger(HubClient.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_REDIRECTS = 10;
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(10);
  private static final String TOKEN_HINT =
      "set HF_TOKEN to a token with access (https://huggingface.co/settings/tokens)";

  /** What a {@code HEAD} of a file tells: the commit it is at, its ETag, size and where its content is. */
  record RemoteFile(String commit, String etag, OptionalLong size, URI location) {}

  /** A revision's commit and the paths of all its files. */
  record RepoInfo(String commit, List<String> files) {}

  private final HubSettings settings;
  private final HttpClient http;

  HubClient(HubSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.http = HttpClient.newBuilder()
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(CONNECT_TIMEOUT)
        .build();
  }

  /** The commit {@code revision} of {@code repo} is at, and its files; tried {@code attempts} times. */
  RepoInfo repoInfo(String repo, String revision, int attempts) {
    URI uri = onHub("/api/models/" + repo + "/revision/" + UrlPaths.segment(revision));
    HttpResponse<byte[]> response =
        send(request(uri, "GET").build(), HttpResponse.BodyHandlers.ofByteArray(), attempts, repo);
    requireSuccess(response, repo, revision);
    try {
      JsonNode info = JSON.readTree(response.body());
      String commit = info.path("sha").asText(null);
      if (commit == null || !HubModelId.isCommitHash(commit)) {
        throw new HubException(uri + " answered without a commit hash ('sha'); is HF_ENDPOINT (" + settings.endpoint()
            + ") a Hugging Face Hub?");
      }
      List<String> files = new ArrayList<>();
      info.path("siblings").forEach(sibling -> files.add(sibling.path("rfilename").asText()));
      return new RepoInfo(commit, List.copyOf(files));
    } catch (IOException e) {
      throw new HubException(uri + " answered with malformed JSON: " + e.getMessage(), e);
    }
  }

  /**
   * The metadata of {@code path} at {@code commit}, following the hub's own (relative) redirects but not one to a
   * file store, whose address becomes the file's location.
   */
  RemoteFile metadata(String repo, String commit, String path) {
    URI next = onHub("/" + repo + "/resolve/" + UrlPaths.segment(commit) + "/" + UrlPaths.path(path));
    for (int redirects = 0; ; redirects++) {
      URI uri = next;
      HttpRequest head = request(uri, "HEAD").header("Accept-Encoding", "identity").build();
      HttpResponse<Void> response = send(head, HttpResponse.BodyHandlers.discarding(), settings.attempts(), repo);
      Optional<String> location = response.headers().firstValue("Location");
      boolean redirect = response.statusCode() / 100 == 3 && location.isPresent();
      if (redirect && location.get().startsWith("/") && redirects < MAX_REDIRECTS) {
        next = uri.resolve(location.get()); // a renamed repository: the hub points at its new name
        continue;
      }
      if (!redirect) {
        requireSuccess(response, repo, path);
      }
      String fileCommit = response.headers().firstValue("X-Repo-Commit").orElseThrow(() -> new HubException(
          uri + " answered without an X-Repo-Commit header; is HF_ENDPOINT (" + settings.endpoint()
              + ") a Hugging Face Hub?"));
      String etag = response.headers().firstValue("X-Linked-Etag")
          .or(() -> response.headers().firstValue("ETag"))
          .map(HubClient::normalizeEtag)
          .orElseThrow(() -> new HubException(uri + " answered without an ETag, so the file can't be cached"));
      OptionalLong size = response.headers().firstValueAsLong("X-Linked-Size");
      if (size.isEmpty() && !redirect) {
        size = response.headers().firstValueAsLong("Content-Length");
      }
      return new RemoteFile(fileCommit, etag, size, redirect ? uri.resolve(location.get()) : uri);
    }
  }

  /**
   * Writes the content of {@code file} to {@code target} (created or truncated), resuming after a dropped
   * connection; {@code progress} hears of every chunk.
   *
   * @throws HubException if the hub refuses, the connection keeps failing without progress, or the size is wrong
   */
  void download(String repo, String path, RemoteFile file, Path target, DownloadProgress progress) {
    long written = 0;
    int failures = 0;
    URI location = file.location();
    while (true) {
      HttpRequest.Builder get = request(location, "GET");
      if (written > 0) {
        get.header("Range", "bytes=" + written + "-");
      }
      try {
        HttpResponse<InputStream> response = http.send(get.build(), HttpResponse.BodyHandlers.ofInputStream());
        int status = response.statusCode();
        Optional<String> redirect = response.headers().firstValue("Location");
        if (status / 100 == 3 && redirect.isPresent()) {
          response.body().close();
          location = location.resolve(redirect.get());
          continue;
        }
        if (retryable(status) && ++failures < settings.attempts()) {
          response.body().close();
          pause(failures, repo, location + " answered " + status);
          continue;
        }
        requireSuccess(response, repo, path);
        boolean append = written > 0 && status == 206;
        if (!append) {
          written = 0; // a fresh download, or a server that ignored the Range header: start over
          progress.restart();
        }
        try (InputStream in = response.body();
            OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
          byte[] buffer = new byte[1 << 16];
          for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            out.write(buffer, 0, n);
            written += n;
            failures = 0; // progress: the connection is worth trying again
            progress.advance(n);
          }
        }
        if (file.size().isPresent() && written != file.size().getAsLong()) {
          throw new IOException("received " + written + " of " + file.size().getAsLong() + " bytes");
        }
        return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new HubException("interrupted while downloading " + path + " of " + repo, e);
      } catch (InterruptedIOException e) {
        throw new HubException("interrupted while downloading " + path + " of " + repo, e);
      } catch (IOException e) {
        if (++failures >= settings.attempts()) {
          throw new HubException("downloading " + path + " of " + repo + " from " + location + " failed "
              + failures + " times in a row: " + e, e);
        }
        pause(failures, repo, "downloading " + path + " stopped after " + written + " bytes (" + e + ")");
      }
    }
  }

  private HttpRequest.Builder request(URI uri, String method) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri)
        .method(method, HttpRequest.BodyPublishers.noBody())
        .timeout(RESPONSE_TIMEOUT) // until the headers arrive; a body is read for as long as it flows
        .header("User-Agent", "jtransformers-hub");
    // The token goes to the hub's own host only, never to a file store it redirects to.
    if (settings.token().isPresent() && sameHost(uri, settings.endpoint())) {
      request.header("Authorization", "Bearer " + settings.token().get());
    }
    return request;
  }

  /** A path on the hub, kept below the endpoint's own path (a mirror may live at {@code https://host/hf}). */
  private URI onHub(String path) {
    return URI.create(settings.endpoint() + path);
  }

  /** Sends a request, trying again after a wait on a connection failure, 429 or 5xx, up to {@code attempts} times. */
  private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> body, int attempts, String repo) {
    for (int attempt = 1; ; attempt++) {
      try {
        HttpResponse<T> response = http.send(request, body);
        if (!retryable(response.statusCode()) || attempt >= attempts) {
          return response;
        }
        pause(attempt, repo, request.uri() + " answered " + response.statusCode());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new HubException("interrupted while asking " + request.uri(), e);
      } catch (IOException e) {
        if (attempt >= attempts) {
          throw new HubException("cannot reach the Hugging Face Hub at " + settings.endpoint() + " (" + request.uri()
              + "): " + e + "; set HF_HUB_OFFLINE=1 to use only the cache", e);
        }
        pause(attempt, repo, request.uri() + " failed: " + e);
      }
    }
  }

  private void pause(int attempt, String repo, String what) {
    Duration wait = settings.retryDelay().multipliedBy(1L << Math.min(attempt - 1, 6));
    LOG.warn("{}; retrying in {} ms (attempt {} of {}) for {}", what, wait.toMillis(), attempt + 1,
        settings.attempts(), repo);
    try {
      Thread.sleep(wait.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HubException("interrupted while waiting to retry " + repo, e);
    }
  }

  /** Turns an error status into an error that says what it means for this repository and what to do. */
  private void requireSuccess(HttpResponse<?> response, String repo, String what) {
    int status = response.statusCode();
    if (status / 100 == 2) {
      return;
    }
    closeQuietly(response);
    String where = response.request().uri().toString();
    String message = switch (status) {
      case 401 -> repo + " is gated or private and needs a token (HTTP 401 from " + where + "); " + TOKEN_HINT;
      case 403 -> "the token has no access to " + repo + " (HTTP 403 from " + where + "): accept its conditions on"
          + " the hub, or " + TOKEN_HINT;
      case 404 -> "the Hugging Face Hub has no '" + what + "' in " + repo + " (HTTP 404 from " + where + "); check"
          + " the name and revision" + (settings.token().isPresent() ? "" : ", or " + TOKEN_HINT + " if it is private");
      default -> "the Hugging Face Hub answered HTTP " + status + " for " + where;
    };
    throw new HubException(message, status, null);
  }

  private static void closeQuietly(HttpResponse<?> response) {
    if (response.body() instanceof InputStream in) {
      try {
        in.close();
      } catch (IOException e) {
        LOG.debug("closing an error response: {}", e.toString());
      }
    }
  }

  private static boolean retryable(int status) {
    return status == 429 || status / 100 == 5;
  }

  private static boolean sameHost(URI a, URI b) {
    return Objects.equals(a.getScheme(), b.getScheme()) && Objects.equals(a.getHost(), b.getHost())
        && a.getPort() == b.getPort();
  }

  /** An ETag header as a file name: {@code W/"abc"} and {@code "abc"} both become {@code abc}. */
  static String normalizeEtag(String etag) {
    String value = etag.startsWith("W/") ? etag.substring(2) : etag;
    return value.replace("\"", "");
  }
}
