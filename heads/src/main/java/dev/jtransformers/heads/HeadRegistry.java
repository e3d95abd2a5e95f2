package dev.jtransformers.heads;

import dev.jtransformers.spi.Head;
import dev.jtransformers.spi.HeadContext;
import dev.jtransformers.spi.HeadFactory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The head factories a pipeline can select by name: the built-in ones and any a jar registers in {@code
 * META-INF/services/dev.jtransformers.spi.HeadFactory}. An ordinary immutable object (inject one; there is no
 * global registry).
 */
public final class HeadRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(HeadRegistry.class);

  private final SortedMap<String, HeadFactory> factories;
  private final List<String> loadFailures;

  private HeadRegistry(SortedMap<String, HeadFactory> factories, List<String> loadFailures) {
    this.factories = Collections.unmodifiableSortedMap(factories);
    this.loadFailures = List.copyOf(loadFailures);
  }

  /**
   * A registry of exactly these factories.
   *
   * @throws IllegalArgumentException naming both classes, if two factories have the same name
   */
  public static HeadRegistry of(Collection<? extends HeadFactory> factories) {
    return indexByName(factories, List.of());
  }

  /**
   * The factories registered with {@link ServiceLoader} visible to the thread's context class loader. A provider
   * that fails to load (a missing class, a constructor that throws) is skipped with a warning, so one broken jar
   * doesn't hide every head; the failure is repeated in the error for an unknown name.
   *
   * @throws IllegalArgumentException naming both classes, if two factories have the same name
   */
  public static HeadRegistry fromServiceLoader() {
    return fromServiceLoader(ServiceLoader.load(HeadFactory.class));
  }

  /**
   * The factories registered with {@link ServiceLoader} visible to {@code classLoader}, discovered as by {@link
   * #fromServiceLoader()}.
   *
   * @throws IllegalArgumentException naming both classes, if two factories have the same name
   */
  public static HeadRegistry fromServiceLoader(ClassLoader classLoader) {
    return fromServiceLoader(ServiceLoader.load(HeadFactory.class, classLoader));
  }

  private static HeadRegistry fromServiceLoader(ServiceLoader<HeadFactory> loader) {
    List<HeadFactory> found = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    Iterator<HeadFactory> providers = loader.iterator();
    while (true) {
      try {
        if (!providers.hasNext()) {
          break;
        }
        found.add(providers.next());
      } catch (ServiceConfigurationError e) {
        String failure = e.getCause() == null ? e.getMessage() : e.getMessage() + ": " + e.getCause();
        LOG.warn("Skipping a head factory that failed to load: {}", failure);
        LOG.debug("Head factory failure", e);
        failures.add(failure);
      }
    }
    return indexByName(found, failures);
  }

  private static HeadRegistry indexByName(Collection<? extends HeadFactory> factories, List<String> loadFailures) {
    SortedMap<String, HeadFactory> byName = new TreeMap<>();
    for (HeadFactory factory : factories) {
      String name = Objects.requireNonNull(factory.name(), () -> factory.getClass().getName() + ".name()");
      HeadFactory previous = byName.putIfAbsent(name, factory);
      if (previous != null) {
        throw new IllegalArgumentException(
            "two head factories are named '"
                + name
                + "': "
                + previous.getClass().getName()
                + " and "
                + factory.getClass().getName());
      }
    }
    return new HeadRegistry(byName, loadFailures);
  }

  /** The factory names, sorted. */
  public Set<String> names() {
    return factories.keySet();
  }

  /** The factory of that name, if there is one. */
  public Optional<HeadFactory> find(String name) {
    return Optional.ofNullable(factories.get(Objects.requireNonNull(name, "name")));
  }

  /**
   * The factory of that name.
   *
   * @throws IllegalArgumentException listing the known names (and any providers that failed to load), if there is
   *     none
   */
  public HeadFactory factory(String name) {
    return find(name)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "no head factory named '"
                        + name
                        + "'; known: "
                        + names()
                        + (loadFailures.isEmpty() ? "" : "; failed to load: " + loadFailures)));
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
