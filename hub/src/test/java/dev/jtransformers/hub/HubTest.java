package dev.jtransformers.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtransformers.spi.ModelFormat;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Downloads from a loopback hub into a temporary cache, and the cache's layout, which must be Python's. */
@Timeout(60)
class HubTest {
  private static final String REPO = "acme/tiny";
  private static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";
  private static final FileSelection ONNX = FileSelection.of(List.of(ModelFormat.ONNX, ModelFormat.SAFETENSORS));

  @TempDir Path repository;
  @TempDir Path cacheRoot;
  private byte[] onnx;

  @BeforeEach
  void writeRepository() throws IOException {
    Files.writeString(repository.resolve("config.json"), "{\"model_type\": \"bert\"}");
    Files.writeString(repository.resolve("tokenizer_config.json"), "{\"do_lower_case\": true}");
    Files.writeString(repository.resolve("special_tokens_map.json"), "{}");
    Files.writeString(repository.resolve("README.md"), "# tiny");
    Files.createDirectories(repository.resolve("onnx"));
    onnx = new byte[300_000];
    new Random(0).nextBytes(onnx);
    Files.write(repository.resolve("onnx/model.onnx"), onnx);
    Files.write(repository.resolve("model.safetensors"), new byte[100_000]);
    Files.write(repository.resolve("pytorch_model.bin"), new byte[100_000]);
  }

  private Hub hub(URI endpoint) {
    return new Hub(HubSettings.builder(cacheRoot).endpoint(endpoint).retries(3, Duration.ofMillis(10)).build());
  }

  @Test
  void downloadsOnlyTheNeededFilesIntoPythonsLayout() throws Exception {
    try (FakeHub server = FakeHub.serve(REPO, COMMIT, repository)) {
      Snapshot snapshot = hub(server.endpoint()).snapshot(HubModelId.parse(REPO).orElseThrow(), ONNX);

      assertEquals(COMMIT, snapshot.commit());
      assertEquals(List.of("config.json", "special_tokens_map.json", "tokenizer_config.json", "onnx/model.onnx"),
          snapshot.files());
      assertEquals(snapshot.files(), server.downloads(), "no README, safetensors or pickle");
      Path repo = cacheRoot.resolve("models--acme--tiny");
      assertEquals(COMMIT, Files.readString(repo.resolve("refs/main")));
      assertEquals(repo.resolve("snapshots").resolve(COMMIT), snapshot.directory());

      Path link = snapshot.directory().resolve("onnx/model.onnx");
      String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(onnx));
      assertTrue(Files.isSymbolicLink(link));
      assertEquals(Path.of("../../../blobs/" + sha256), Files.readSymbolicLink(link), "relative, to the LFS ETag");
      assertArrayEquals(onnx, Files.readAllBytes(link));
      Path config = snapshot.directory().resolve("config.json");
      assertEquals(Path.of("../../blobs/" + gitBlobId(Files.readAllBytes(repository.resolve("config.json")))),
          Files.readSymbolicLink(config), "a small file is named by its git blob id");
      try (Stream<Path> blobs = Files.list(repo.resolve("blobs"))) {
        assertEquals(4, blobs.count(), "one blob per file, no temporary file left");
      }
      assertTrue(Files.isRegularFile(cacheRoot.resolve(".locks/models--acme--tiny").resolve(sha256 + ".lock")));

      int requests = server.requests().size();
      Snapshot again = hub(server.endpoint()).snapshot(HubModelId.parse(REPO).orElseThrow(), ONNX);
      assertEquals(0, again.downloaded());
      assertEquals(requests + 1, server.requests().size(), "only the revision is asked again");
    }
  }

  @Test
  void offlineUsesTheCacheAndNamesWhatIsMissing() throws Exception {
    try (FakeHub server = FakeHub.serve(REPO, COMMIT, repository)) {
      hub(server.endpoint()).snapshot(HubModelId.parse(REPO).orElseThrow(), ONNX);
    }
    Hub offline = new Hub(HubSettings.builder(cacheRoot).offline(true).build());
    Snapshot cached = offline.snapshot(HubModelId.parse(REPO).orElseThrow(), ONNX);
    assertEquals(COMMIT, cached.commit());
    assertTrue(cached.files().contains("onnx/model.onnx"));

    HubException absent =
        assertThrows(HubException.class, () -> offline.snapshot(HubModelId.parse("acme/other").orElseThrow(), ONNX));
    assertTrue(absent.getMessage().contains("acme/other"), absent.getMessage());
    assertTrue(absent.getMessage().contains(cacheRoot.toString()), absent.getMessage());
    assertTrue(absent.getMessage().contains("HF_HUB_OFFLINE"), absent.getMessage());

    HubException noTorchScript = assertThrows(HubException.class,
        () -> offline.snapshot(HubModelId.parse(REPO).orElseThrow(), FileSelection.of(List.of(ModelFormat.TORCHSCRIPT))));
    assertTrue(noTorchScript.getMessage().contains("no weights in [TORCHSCRIPT]"), noTorchScript.getMessage());
  }

  @Test
  void aSnapshotLaidOutByPythonIsUsedAsItIsWithNoServer() throws Exception {
    // huggingface_hub's layout, written by hand: refs/main, blobs by ETag, relative links, a .no_exist marker.
    Path repo = cacheRoot.resolve("models--acme--tiny");
    Files.createDirectories(repo.resolve("refs"));
    Files.writeString(repo.resolve("refs/main"), COMMIT);
    Files.createDirectories(repo.resolve("blobs"));
    Files.writeString(repo.resolve("blobs/aaaa"), "{\"model_type\": \"bert\"}");
    Files.write(repo.resolve("blobs/bbbb"), onnx);
    Path snapshot = Files.createDirectories(repo.resolve("snapshots").resolve(COMMIT).resolve("onnx"));
    Files.createSymbolicLink(snapshot.resolveSibling("config.json"), Path.of("../../blobs/aaaa"));
    Files.createSymbolicLink(snapshot.resolve("model.onnx"), Path.of("../../../blobs/bbbb"));
    Files.createDirectories(repo.resolve(".no_exist").resolve(COMMIT));
    Files.createFile(repo.resolve(".no_exist").resolve(COMMIT).resolve("tokenizer_config.json"));

    URI nobodyListens;
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      nobodyListens = URI.create("http://127.0.0.1:" + socket.getLocalPort());
    }
    for (Hub hub : List.of(hub(nobodyListens), new Hub(HubSettings.builder(cacheRoot).offline(true).build()))) {
      Snapshot found = hub.snapshot(HubModelId.parse(REPO).orElseThrow(), ONNX);
      assertEquals(COMMIT, found.commit());
      assertEquals(repo.resolve("snapshots").resolve(COMMIT), found.directory());
      assertEquals(List.of("config.json", "onnx/model.onnx"), found.files());
    }
  }

  @Test
  void aGatedRepositoryNeedsTheToken() throws Exception {
    try (FakeHub server = FakeHub.serve(REPO, COMMIT, repository).gated("hf_secret")) {
      HubException refused = assertThrows(HubException.class,
          () -> hub(server.endpoint()).snapshot(HubModelId.parse(REPO).orElseThrow(), ONNX));
      assertEquals(401, refused.status().orElseThrow());
      assertTrue(refused.getMessage().contains("HF_TOKEN"), refused.getMessage());

      Hub withToken = new Hub(hub(server.endpoint()).settings().toBuilder().token("hf_secret").build());
      Snapshot snapshot = withToken.snapshot(HubModelId.parse(REPO).orElseThrow(), ONNX);
      assertArrayEquals(onnx, Files.readAllBytes(snapshot.directory().resolve("onnx/model.onnx")));
    }
  }

  @Test
  void retriesA500AndResumesADroppedDownload() throws Exception {
    try (FakeHub server = FakeHub.serve(REPO, COMMIT, repository).failOnce("onnx/model.onnx")
        .dropOnce("config.json")) {
      server.dropOnce("onnx/model.onnx");
      Snapshot snapshot = hub(server.endpoint()).snapshot(HubModelId.parse(REPO).orElseThrow(), ONNX);

      assertArrayEquals(onnx, Files.readAllBytes(snapshot.directory().resolve("onnx/model.onnx")));
      assertEquals(Files.readString(repository.resolve("config.json")),
          Files.readString(snapshot.directory().resolve("config.json")));
      assertEquals(3, server.downloads().stream().filter("onnx/model.onnx"::equals).count(),
          "a 500, half the file, then the rest");
    }
  }

  @Test
  void aListedFileThatIsMissingIsRecordedAsPythonDoes() throws Exception {
    try (FakeHub server = FakeHub.serve(REPO, COMMIT, repository).listedButMissing("special_tokens_map.json")) {
      Snapshot snapshot = hub(server.endpoint()).snapshot(HubModelId.parse(REPO).orElseThrow(), ONNX);

      assertFalse(snapshot.files().contains("special_tokens_map.json"));
      assertTrue(Files.isRegularFile(
          cacheRoot.resolve("models--acme--tiny/.no_exist").resolve(COMMIT).resolve("special_tokens_map.json")));
    }
  }

  @Test
  void contentThatDoesNotMatchItsEtagIsRefused() throws Exception {
    try (FakeHub server = FakeHub.serve(REPO, COMMIT, repository)
        .corrupt("onnx/model.onnx", new byte[onnx.length])) {
      HubException corrupt = assertThrows(HubException.class,
          () -> hub(server.endpoint()).snapshot(HubModelId.parse(REPO).orElseThrow(), ONNX));
      assertTrue(corrupt.getMessage().contains("onnx/model.onnx"), corrupt.getMessage());
      try (Stream<Path> blobs = Files.list(cacheRoot.resolve("models--acme--tiny/blobs"))) {
        assertTrue(blobs.noneMatch(blob -> blob.getFileName().toString().contains(".incomplete")), "cleaned up");
      }
    }
  }

  @Test
  void aTagIsRecordedUnderRefsAndACommitNeedsNoRef() throws Exception {
    try (FakeHub server = FakeHub.serve(REPO, COMMIT, repository).tag("v1")) {
      Snapshot tagged = hub(server.endpoint()).snapshot(HubModelId.parse(REPO + "@v1").orElseThrow(), ONNX);
      assertEquals(COMMIT, tagged.commit());
      assertEquals(COMMIT, Files.readString(cacheRoot.resolve("models--acme--tiny/refs/v1")));

      HubException unknown = assertThrows(HubException.class,
          () -> hub(server.endpoint()).snapshot(HubModelId.parse(REPO + "@v2").orElseThrow(), ONNX));
      assertEquals(404, unknown.status().orElseThrow());
    }
    Hub offline = new Hub(HubSettings.builder(cacheRoot).offline(true).build());
    assertEquals(COMMIT, offline.snapshot(HubModelId.parse(REPO + "@" + COMMIT).orElseThrow(), ONNX).commit());
  }

  private static String gitBlobId(byte[] content) throws Exception {
    MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
    sha1.update(("blob " + content.length + "\0").getBytes(StandardCharsets.US_ASCII));
    return HexFormat.of().formatHex(sha1.digest(content));
  }
}
