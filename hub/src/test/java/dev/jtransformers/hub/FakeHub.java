package dev.jtransformers.hub;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * A Hugging Face Hub on loopback serving one repository from a local directory, with the real hub's URLs and
 * headers: {@code /api/models/{repo}/revision/{revision}} (commit and file list), {@code
 * /{repo}/resolve/{revision}/{path}} answering small files directly (ETag = git blob id) and redirecting large ones
 * to a second "file store" path {@code /store/{sha256}} ({@code X-Linked-Etag}, {@code X-Linked-Size}), which honours
 * {@code Range}. Faults on request: a gated repository (401 without the token), a listed file that 404s, one 500, a
 * connection dropped halfway through a file.
 */
public final class FakeHub implements AutoCloseable {
  /** Files at least this large are LFS files: redirected to the store, named by SHA-256. */
  public static final long LFS_SIZE = 64 * 1024;

  private final HttpServer server;
  private final String repo;
  private final String commit;
  private final Path directory;
  private final Map<String, String> gitEtags = new ConcurrentHashMap<>();
  private final Map<String, Path> store = new ConcurrentHashMap<>();
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final Set<String> revisions = ConcurrentHashMap.newKeySet();
  private final Set<String> missing = ConcurrentHashMap.newKeySet();
  private final Set<String> failOnce = ConcurrentHashMap.newKeySet();
  private final Set<String> dropOnce = ConcurrentHashMap.newKeySet();
  private final Map<String, byte[]> corrupt = new ConcurrentHashMap<>();
  private volatile String requiredToken;

  private FakeHub(String repo, String commit, Path directory) throws IOException {
    this.repo = repo;
    this.commit = commit;
    this.directory = directory;
    revisions.addAll(List.of("main", commit));
    for (String file : files()) {
      byte[] content = Files.readAllBytes(directory.resolve(file));
      if (content.length >= LFS_SIZE) {
        store.put(hex("SHA-256", content), directory.resolve(file));
      } else {
        byte[] header = ("blob " + content.length + "\0").getBytes(StandardCharsets.US_ASCII);
        byte[] object = new byte[header.length + content.length];
        System.arraycopy(header, 0, object, 0, header.length);
        System.arraycopy(content, 0, object, header.length, content.length);
        gitEtags.put(file, hex("SHA-1", object));
      }
    }
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  /** Serves {@code directory} as repository {@code repo}, whose {@code main} branch is at {@code commit}. */
  public static FakeHub serve(String repo, String commit, Path directory) throws IOException {
    return new FakeHub(repo, commit, directory);
  }

  /** The endpoint to set as {@code HF_ENDPOINT}. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Every request so far, as {@code METHOD path}. */
  public List<String> requests() {
    return List.copyOf(requests);
  }

  /** The files downloaded so far (content GETs of a file or its store entry), by repository path. */
  public List<String> downloads() {
    return requests.stream().filter(r -> r.startsWith("GET ") && !r.contains("/api/")).map(r -> {
      String path = r.substring(4);
      if (path.startsWith("/store/")) {
        Path file = store.get(path.substring("/store/".length()));
        return directory.relativize(file).toString().replace('\\', '/');
      }
      return path.substring(path.indexOf("/resolve/") + "/resolve/".length()).replaceFirst("^[^/]+/", "");
    }).toList();
  }

  /** Lets {@code tag} name the commit too. */
  public FakeHub tag(String tag) {
    revisions.add(tag);
    return this;
  }

  /** Answers 401 unless requests carry {@code Authorization: Bearer token}. */
  public FakeHub gated(String token) {
    this.requiredToken = token;
    return this;
  }

  /** Lists {@code path} but answers 404 for it. */
  public FakeHub listedButMissing(String path) {
    missing.add(path);
    return this;
  }

  /** Answers the first content request of {@code path} with a 500. */
  public FakeHub failOnce(String path) {
    failOnce.add(path);
    return this;
  }

  /** Drops the connection halfway through the first content request of {@code path}. */
  public FakeHub dropOnce(String path) {
    dropOnce.add(path);
    return this;
  }

  /** Serves other content than the ETag says for {@code path}. */
  public FakeHub corrupt(String path, byte[] content) {
    corrupt.put(path, content);
    return this;
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private List<String> files() throws IOException {
    try (Stream<Path> paths = Files.walk(directory)) {
      return paths.filter(Files::isRegularFile)
          .map(p -> directory.relativize(p).toString().replace('\\', '/'))
          .sorted()
          .toList();
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getRawPath();
      requests.add(method + " " + path);
      if (requiredToken != null && !path.startsWith("/store/")
          && !("Bearer " + requiredToken).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
        send(exchange, 401, new byte[0]);
        return;
      }
      String api = "/api/models/" + repo + "/revision/";
      String resolve = "/" + repo + "/resolve/";
      if (path.startsWith(api)) {
        answerInfo(exchange, URLDecoder.decode(path.substring(api.length()), StandardCharsets.UTF_8));
      } else if (path.startsWith(resolve)) {
        String rest = path.substring(resolve.length());
        int slash = rest.indexOf('/');
        String revision = URLDecoder.decode(rest.substring(0, slash), StandardCharsets.UTF_8);
        answerFile(exchange, revision, URLDecoder.decode(rest.substring(slash + 1), StandardCharsets.UTF_8));
      } else if (path.startsWith("/store/") && store.containsKey(path.substring("/store/".length()))) {
        Path file = store.get(path.substring("/store/".length()));
        sendContent(exchange, directory.relativize(file).toString().replace('\\', '/'), Files.readAllBytes(file));
      } else {
        send(exchange, 404, new byte[0]);
      }
    }
  }

  private void answerInfo(HttpExchange exchange, String revision) throws IOException {
    if (!knows(revision)) {
      send(exchange, 404, new byte[0]);
      return;
    }
    StringBuilder json = new StringBuilder("{\"id\":\"" + repo + "\",\"sha\":\"" + commit + "\",\"siblings\":[");
    List<String> files = files();
    for (int i = 0; i < files.size(); i++) {
      json.append(i == 0 ? "" : ",").append("{\"rfilename\":\"").append(files.get(i)).append("\"}");
    }
    json.append("]}");
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    send(exchange, 200, json.toString().getBytes(StandardCharsets.UTF_8));
  }

  private void answerFile(HttpExchange exchange, String revision, String file) throws IOException {
    Path local = directory.resolve(file);
    exchange.getResponseHeaders().add("X-Repo-Commit", commit);
    if (!knows(revision) || missing.contains(file) || !Files.isRegularFile(local)) {
      send(exchange, 404, new byte[0]);
      return;
    }
    byte[] content = Files.readAllBytes(local);
    if (content.length >= LFS_SIZE) {
      String sha256 = hex("SHA-256", content);
      exchange.getResponseHeaders().add("X-Linked-Etag", "\"" + sha256 + "\"");
      exchange.getResponseHeaders().add("X-Linked-Size", Long.toString(content.length));
      exchange.getResponseHeaders().add("ETag", "\"" + gitEtagOf(file) + "\"");
      exchange.getResponseHeaders().add("Location", endpoint() + "/store/" + sha256);
      send(exchange, 302, new byte[0]);
      return;
    }
    exchange.getResponseHeaders().add("ETag", "\"" + gitEtags.get(file) + "\"");
    sendContent(exchange, file, content);
  }

  /** The ETag of the LFS pointer file the real hub sends beside X-Linked-Etag; any stable value serves here. */
  private String gitEtagOf(String file) {
    return hex("SHA-1", file.getBytes(StandardCharsets.UTF_8));
  }

  private void sendContent(HttpExchange exchange, String file, byte[] content) throws IOException {
    if (exchange.getRequestMethod().equals("HEAD")) {
      exchange.getResponseHeaders().add("Content-Length", Long.toString(content.length));
      exchange.sendResponseHeaders(200, -1);
      return;
    }
    if (failOnce.remove(file)) {
      send(exchange, 500, new byte[0]);
      return;
    }
    byte[] body = corrupt.getOrDefault(file, content);
    String range = exchange.getRequestHeaders().getFirst("Range");
    int from = range == null ? 0 : Integer.parseInt(range.replaceAll("bytes=(\\d+)-.*", "$1"));
    if (from > 0) {
      exchange.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (body.length - 1) + "/" + body.length);
    }
    exchange.sendResponseHeaders(from > 0 ? 206 : 200, body.length - from);
    OutputStream out = exchange.getResponseBody();
    if (dropOnce.remove(file)) {
      out.write(body, from, (body.length - from) / 2);
      out.flush();
      // A handler that throws makes the server close the connection, bytes still owed: a network failure.
      throw new IOException("dropping the connection halfway through " + file);
    }
    out.write(body, from, body.length - from);
    out.close();
  }

  private boolean knows(String revision) {
    return revisions.contains(revision);
  }

  private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      exchange.getResponseBody().write(body);
    }
  }

  private static String hex(String algorithm, byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
