package dev.jtransformers.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProviderRegistryTest {

  /** A provider type for the test; its implementations are registered through a temporary services file. */
  public interface Greeter {
    String name();
  }

  public static final class Hello implements Greeter {
    @Override
    public String name() {
      return "hello";
    }
  }

  public static final class Broken implements Greeter {
    public Broken() {
      throw new IllegalStateException("cannot start");
    }

    @Override
    public String name() {
      return "broken";
    }
  }

  @Test
  void indexesByNameAndListsTheKnownNamesForAnUnknownOne() {
    ProviderRegistry<Greeter> registry = ProviderRegistry.of("greeter", Greeter::name, List.of(new Hello()));
    assertEquals("hello", registry.get("hello").name());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> registry.get("bye"));
    assertEquals("no greeter named 'bye'; known: [hello]", e.getMessage());
  }

  @Test
  void rejectsTwoProvidersOfOneName() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class,
            () -> ProviderRegistry.of("greeter", Greeter::name, List.of(new Hello(), new Hello())));
    assertTrue(e.getMessage().contains("two greeter providers are named 'hello'"), e.getMessage());
  }

  @Test
  void keepsAndReportsABrokenProviderWithoutHidingTheOthers(@TempDir Path dir) throws IOException {
    Path services = dir.resolve("META-INF/services");
    Files.createDirectories(services);
    Files.writeString(services.resolve(Greeter.class.getName()),
        Broken.class.getName() + "\n" + Hello.class.getName() + "\ndev.example.Missing\n");
    try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
      ProviderRegistry<Greeter> registry = ProviderRegistry.discover(Greeter.class, "greeter", Greeter::name, loader);
      assertEquals(List.of("hello"), List.copyOf(registry.names()));
      assertEquals(2, registry.failures().size(), registry.failures().toString());
      String message = assertThrows(IllegalArgumentException.class, () -> registry.get("broken")).getMessage();
      assertTrue(message.contains("failed to load") && message.contains("cannot start")
          && message.contains("dev.example.Missing"), message);
    }
  }
}
