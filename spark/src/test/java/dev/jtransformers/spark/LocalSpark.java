package dev.jtransformers.spark;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;

/** The tests' Spark session, {@code local[2]} bound to loopback; and the fixtures in {@code ../shared}. */
final class LocalSpark {
  private static SparkSession session;

  private LocalSpark() {}

  /**
   * The one session every test class of the run shares (starting Spark costs seconds), started on first use and
   * stopped when the test JVM exits.
   */
  static synchronized SparkSession session() {
    if (session == null) {
      session = start(2);
      Runtime.getRuntime().addShutdownHook(new Thread(session::stop, "stop-test-spark"));
    }
    return session;
  }

  /** {@code local[threads]} on 127.0.0.1, without the web UI; the caller stops it. */
  static SparkSession start(int threads) {
    return SparkSession.builder()
        .appName("jtransformers-spark")
        .master("local[" + threads + "]")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", threads)
        .getOrCreate();
  }

  /** A path inside {@code ../shared}, or a skipped test when the folder is absent. */
  static Path shared(String relative) {
    Path path = Path.of(System.getProperty("jtransformers.shared", "../shared")).resolve(relative);
    assumeTrue(Files.exists(path), "../shared absent (" + path + " not found): skipping a test that needs it");
    return path;
  }
}
