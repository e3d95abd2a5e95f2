package dev.jtransformers.heads;

import dev.jtransformers.spi.Head;
import dev.jtransformers.spi.HeadContext;
import dev.jtransformers.spi.HeadFactory;
import dev.jtransformers.spi.ProviderRegistry;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;

/**
 * The head factories a pipeline can select by name: the built-in ones and any a jar registers in {@code
 * META-INF/services/dev.jtransformers.spi.HeadFactory}. An ordinary immutable object (inject one; there is no
 * global registry).
 */
public final class HeadRegistry {
  private static final String KIND = "head factory";

  private final ProviderRegistry<HeadFactory> factories;

  private HeadRegistry(ProviderRegistry<HeadFactory> factories) {
    this.factories = factories;
  }

  /**
   * A registry of exactly these factories.
   *
   * @throws IllegalArgumentException naming both classes, if two factories have the same name
   */
  public static HeadRegistry of(Collection<? extends HeadFactory> factories) {
    return new HeadRegistry(ProviderRegistry.of(KIND, HeadFactory::name, factories));
  }

  /**
   * The factories registered with {@link java.util.ServiceLoader} visible to the thread's context class loader. A
   * provider that fails to load (a missing class, a constructor that throws) is skipped with a warning, so one broken
   * jar doesn't hide every head; the failure is repeated in the error for an unknown name.
   *
   * @throws IllegalArgumentException naming both classes, if two factories have the same name
   */
  public static HeadRegistry fromServiceLoader() {
    return new HeadRegistry(ProviderRegistry.discover(HeadFactory.class, KIND, HeadFactory::name));
  }

  /**
   * The factories registered with {@link java.util.ServiceLoader} visible to {@code classLoader}, discovered as by
   * {@link #fromServiceLoader()}.
   *
   * @throws IllegalArgumentException naming both classes, if two factories have the same name
   */
  public static HeadRegistry fromServiceLoader(ClassLoader classLoader) {
    return new HeadRegistry(ProviderRegistry.discover(HeadFactory.class, KIND, HeadFactory::name, classLoader));
  }

  /** The factory names, sorted. */
  public Set<String> names() {
    return factories.names();
  }

  /** The factory of that name, if there is one. */
  public Optional<HeadFactory> find(String name) {
    return factories.find(name);
  }

  /**
   * The factory of that name.
   *
   * @throws IllegalArgumentException listing the known names (and any providers that failed to load), if there is
   *     none
   */
  public HeadFactory factory(String name) {
    return factories.get(name);
  }

  /**
   * Creates the head {@code name} selects.
   *
   * @throws IllegalArgumentException if the name is unknown or an option is missing or malformed
   * @throws dev.jtransformers.api.ModelLoadException if the head's weights or configuration can't be read
   */
  public Head create(String name, HeadContext context) {
    return factory(name).create(context);
  }

  @Override
  public String toString() {
    return "HeadRegistry" + names();
  }
}
