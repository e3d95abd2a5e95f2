package dev.jtransformers.heads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtransformers.models.Pooling;
import dev.jtransformers.spi.HeadContext;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeadRegistryTest {
  private static final Set<String> BUILT_IN =
      Set.of("pooling", "hidden-states", "logits", "bert-classification", "distilbert-classification");

  @TempDir Path dir;

  @Test
  void discoversTheBuiltInHeads() {
    HeadRegistry registry = HeadRegistry.fromServiceLoader();
    assertTrue(registry.names().containsAll(BUILT_IN), registry.names().toString());
    PoolingHead head =
        assertInstanceOf(
            PoolingHead.class,
            registry.create("pooling", new HeadContext(dir, Map.of("pooling", "cls", "normalize", "true"))));
    assertEquals(new PoolingHead(Pooling.CLS, true), head);
  }

  @Test
  void anUnknownNameListsTheKnownOnes() {
    HeadRegistry registry = HeadRegistry.of(List.of(new PoolingHeadFactory(), new LogitsHeadFactory()));
    var e = assertThrows(IllegalArgumentException.class, () -> registry.factory("polling"));
    assertEquals("no head factory named 'polling'; known: [logits, pooling]", e.getMessage());
  }

  @Test
  void twoFactoriesOfOneNameAreAnError() {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> HeadRegistry.of(List.of(new PoolingHeadFactory(), new SecondPoolingHeadFactory())));
    assertEquals(
        "two head factory providers are named 'pooling': "
            + PoolingHeadFactory.class.getName()
            + " and "
            + SecondPoolingHeadFactory.class.getName(),
        e.getMessage());
  }

  @Test
  void brokenProvidersAreSkippedAndReportedWithoutHidingTheOthers() throws IOException {
    try (URLClassLoader loader =
        withServices("dev.jtransformers.heads.NoSuchHeadFactory", FailingHeadFactory.class.getName())) {
      HeadRegistry registry = HeadRegistry.fromServiceLoader(loader);
      assertTrue(registry.names().containsAll(BUILT_IN), registry.names().toString());
      var e = assertThrows(IllegalArgumentException.class, () -> registry.factory("failing"));
      assertTrue(e.getMessage().contains("failed to load"), e.getMessage());
      assertTrue(e.getMessage().contains("NoSuchHeadFactory not found"), e.getMessage());
      assertTrue(e.getMessage().contains(FailingHeadFactory.class.getName()), e.getMessage());
    }
  }

  @Test
  void aDiscoveredDuplicateIsAnError() throws IOException {
    try (URLClassLoader loader = withServices(SecondPoolingHeadFactory.class.getName())) {
      var e = assertThrows(IllegalArgumentException.class, () -> HeadRegistry.fromServiceLoader(loader));
      assertTrue(e.getMessage().startsWith("two head factory providers are named 'pooling'"), e.getMessage());
    }
  }

  @Test
  void factoryOptionsAreChecked() {
    HeadRegistry registry = HeadRegistry.of(List.of(new PoolingHeadFactory()));
    var typo =
        assertThrows(
            IllegalArgumentException.class,
            () -> registry.create("pooling", new HeadContext(dir, Map.of("poolng", "max"))));
    assertEquals("head 'pooling' has no option [poolng]; its options are [normalize, pooling]", typo.getMessage());
    var badValue =
        assertThrows(
            IllegalArgumentException.class,
            () -> registry.create("pooling", new HeadContext(dir, Map.of("normalize", "yes"))));
    assertEquals("head 'pooling' option 'normalize' must be true or false, got 'yes'", badValue.getMessage());
    var badChoice =
        assertThrows(
            IllegalArgumentException.class,
            () -> registry.create("pooling", new HeadContext(dir, Map.of("pooling", "sum"))));
    assertEquals("head 'pooling' option 'pooling' must be one of [cls, max, mean, mean_sqrt_len, weighted_mean, last_token], got 'sum'", badChoice.getMessage());
  }

  /** A class loader that adds a services file listing {@code providers} to this module's. */
  private URLClassLoader withServices(String... providers) throws IOException {
    Path services = Files.createDirectories(dir.resolve("META-INF/services"));
    Files.write(services.resolve("dev.jtransformers.spi.HeadFactory"), List.of(providers));
    return new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader());
  }
}
