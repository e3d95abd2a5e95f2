package dev.jtransformers.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CacheTest {
  private static final ClassLoader LOADER = CacheTest.class.getClassLoader();
  private static final List<ResourceFile> FILES =
      List.of(
          new ResourceFile("dev/jtransformers/models/cachetest/a.txt", "a.txt"),
          new ResourceFile("dev/jtransformers/models/cachetest/sub/b.txt", "deep/er/b.txt"));

  @TempDir Path root;

  @Test
  void locationComesFromPropertyThenEnvironmentThenHome() {
    Map<String, String> none = Map.of("user.home", "/home/u");
    Map<String, String> property = Map.of("user.home", "/home/u", Cache.LOCATION_PROPERTY, "/p");
    Map<String, String> environment = Map.of(Cache.LOCATION_VARIABLE, "/e");

    assertEquals(Path.of("/home/u", ".cache", "jtransformers"), Cache.defaultRoot(none::get, k -> null));
    assertEquals(Path.of("/e"), Cache.defaultRoot(none::get, environment::get));
    assertEquals(Path.of("/p"), Cache.defaultRoot(property::get, environment::get));
  }

  @Test
  void copiesResourcesIntoTheirPaths() throws IOException {
    Path directory = new Cache(root).materialize("x/y", FILES, LOADER);

    assertEquals(root.resolve("x/y"), directory);
    assertEquals("alpha\n", Files.readString(directory.resolve("a.txt")));
    assertEquals("beta beta\n", Files.readString(directory.resolve("deep/er/b.txt")));
    assertEquals(List.of("y"), list(root.resolve("x")), "no staging directory left behind");
  }

  @Test
  void reusesACompleteDirectoryWithoutCopying() throws IOException {
    Cache cache = new Cache(root);
    Path directory = cache.materialize("x", FILES, LOADER);
    FileTime old = FileTime.fromMillis(1_000_000);
    Files.setLastModifiedTime(directory.resolve("a.txt"), old);

    cache.materialize("x", FILES, LOADER);

    assertEquals(old, Files.getLastModifiedTime(directory.resolve("a.txt")));
  }

  @Test
  void replacesADirectoryWithAWronglySizedFile() throws IOException {
    Cache cache = new Cache(root);
    Path directory = cache.materialize("x", FILES, LOADER);
    Files.writeString(directory.resolve("a.txt"), "truncated-or-other-version");
    Files.delete(directory.resolve("deep/er/b.txt"));

    cache.materialize("x", FILES, LOADER);

    assertEquals("alpha\n", Files.readString(directory.resolve("a.txt")));
    assertEquals("beta beta\n", Files.readString(directory.resolve("deep/er/b.txt")));
    assertEquals(List.of("x"), list(root), "stale copy and staging directories are gone");
  }

  @Test
  void replacesACopyOfOtherContentOfTheSameSize() throws IOException {
    Cache cache = new Cache(root);
    cache.materialize("x", FILES, LOADER);
    List<ResourceFile> nextVersion =
        List.of(
            new ResourceFile("dev/jtransformers/models/cachetest/a-next-version.txt", "a.txt"),
            new ResourceFile("dev/jtransformers/models/cachetest/sub/b.txt", "deep/er/b.txt"));

    Path directory = cache.materialize("x", nextVersion, LOADER);

    assertEquals("ALPHA\n", Files.readString(directory.resolve("a.txt")), "same size as before, other content");
  }

  @Test
  void replacesAFileDamagedInPlaceAtItsSize() throws IOException {
    Cache cache = new Cache(root);
    Path directory = cache.materialize("x", FILES, LOADER);
    Files.writeString(directory.resolve("a.txt"), "alp\u0000a\n"); // same size, one byte changed

    cache.materialize("x", FILES, LOADER);

    assertEquals("alpha\n", Files.readString(directory.resolve("a.txt")));
  }

  @Test
  void deletesTheStagingDirectoryOfAProcessThatDied() throws Exception {
    Process gone = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-version")
        .redirectErrorStream(true).start();
    gone.getInputStream().readAllBytes();
    gone.waitFor();
    Path abandoned = Files.createDirectories(root.resolve(".x.tmp-" + gone.pid() + "-0000/deep"));
    Path working = Files.createDirectories(root.resolve(".x.tmp-" + ProcessHandle.current().pid() + "-1111"));

    new Cache(root).materialize("x", FILES, LOADER);

    assertFalse(Files.exists(abandoned.getParent()), "the dead process's staging directory is gone");
    assertTrue(Files.exists(working), "a live process's staging directory is left alone");
  }

  @Test
  void aCacheForThisRunIsATemporaryDirectory() throws IOException {
    Cache cache = Cache.forThisRun("jtransformers-test-");
    try {
      assertTrue(cache.root().getFileName().toString().startsWith("jtransformers-test-"));
      assertEquals("alpha\n", Files.readString(cache.materialize("x", FILES, LOADER).resolve("a.txt")));
    } finally {
      try (var files = Files.walk(cache.root())) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  void concurrentCallsAllGetTheCompleteDirectory() throws Exception {
    Cache cache = new Cache(root);
    int threads = 8;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Path>> results = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        Callable<Path> task =
            () -> {
              start.await();
              return cache.materialize("shared", FILES, LOADER);
            };
        results.add(pool.submit(task));
      }
      start.countDown();
      for (Future<Path> result : results) {
        Path directory = result.get();
        assertEquals("alpha\n", Files.readString(directory.resolve("a.txt")));
        assertEquals("beta beta\n", Files.readString(directory.resolve("deep/er/b.txt")));
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(List.of("shared"), list(root), "losers cleaned up their staging directories");
  }

  @Test
  void missingResourceIsNamed() {
    List<ResourceFile> files = List.of(new ResourceFile("no/such/resource.bin", "r.bin"));

    FileNotFoundException e =
        assertThrows(FileNotFoundException.class, () -> new Cache(root).materialize("x", files, LOADER));

    assertTrue(e.getMessage().contains("no/such/resource.bin"), e.getMessage());
    assertFalse(Files.exists(root.resolve("x")));
  }

  @Test
  void refusesDirectoriesOutsideTheCache() {
    Cache cache = new Cache(root);

    assertThrows(IllegalArgumentException.class, () -> cache.materialize("../escape", FILES, LOADER));
    assertThrows(IllegalArgumentException.class, () -> cache.materialize(".", FILES, LOADER));
  }

  @Test
  void resourceFilePathsStayInsideTheirDirectory() {
    assertThrows(IllegalArgumentException.class, () -> new ResourceFile("r", "../x"));
    assertThrows(IllegalArgumentException.class, () -> new ResourceFile("r", "a/./x"));
    assertThrows(IllegalArgumentException.class, () -> new ResourceFile("r", "/abs"));
    assertThrows(IllegalArgumentException.class, () -> new ResourceFile("/r", "x"));
  }

  private static List<String> list(Path directory) throws IOException {
    try (Stream<Path> entries = Files.list(directory)) {
      return entries.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
