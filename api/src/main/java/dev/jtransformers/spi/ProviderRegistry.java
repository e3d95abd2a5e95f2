package dev.jtransformers.spi;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Named providers of one SPI type — backends, head factories, tasks, tokenizer stages — discovered the same way
 * everywhere: each provider is loaded on its own, so one broken jar is logged, kept and reported (in the error for an
 * unknown name) instead of hiding the others or vanishing silently. Immutable; there is no global instance.
 *
 * @param <T> the provider type
 */
public final class ProviderRegistry<T> {
  // The JDK's logger, so the API needs no logging library; it reaches SLF4J through a System.Logger bridge.
  private static final System.Logger LOG = System.getLogger(ProviderRegistry.class.getName());

  private final String kind;
  private final SortedMap<String, T> byName;
  private final List<String> failures;

  private ProviderRegistry(String kind, SortedMap<String, T> byName, List<String> failures) {
    this.kind = kind;
    this.byName = Collections.unmodifiableSortedMap(byName);
    this.failures = List.copyOf(failures);
  }

  /**
   * A registry of exactly these providers.
   *
   * @param kind what a provider is called in messages, e.g. {@code "head factory"}
   * @param nameOf the name a provider is selected by
   * @throws IllegalArgumentException naming both classes, if two providers share a name
   */
  public static <T> ProviderRegistry<T> of(
      String kind, Function<? super T, String> nameOf, Collection<? extends T> providers) {
    return index(kind, nameOf, providers, List.of());
  }

  /**
   * The providers registered in {@code META-INF/services} for {@code type}, visible to the thread's context class
   * loader.
   *
   * @throws IllegalArgumentException naming both classes, if two providers share a name
   */
  public static <T> ProviderRegistry<T> discover(Class<T> type, String kind, Function<? super T, String> nameOf) {
    return discover(type, kind, nameOf, Thread.currentThread().getContextClassLoader());
  }

  /**
   * The providers registered in {@code META-INF/services} for {@code type}, visible to {@code classLoader}. A
   * provider that fails to load (a missing class, a constructor that throws) is skipped with a warning and listed in
   * {@link #failures()}.
   *
   * @throws IllegalArgumentException naming both classes, if two providers share a name
   */
  public static <T> ProviderRegistry<T> discover(
      Class<T> type, String kind, Function<? super T, String> nameOf, ClassLoader classLoader) {
    List<T> found = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    Iterator<T> providers = ServiceLoader.load(type, classLoader).iterator();
    while (true) {
      try {
        if (!providers.hasNext()) {
          break;
        }
        found.add(providers.next());
      } catch (ServiceConfigurationError e) {
        String failure = e.getCause() == null ? e.getMessage() : e.getMessage() + ": " + e.getCause();
        LOG.log(System.Logger.Level.WARNING, "Skipping " + kind + " provider that failed to load: " + failure);
        LOG.log(System.Logger.Level.DEBUG, kind + " failure", e);
        failures.add(failure);
      }
    }
    return index(kind, nameOf, found, failures);
  }

  private static <T> ProviderRegistry<T> index(
      String kind, Function<? super T, String> nameOf, Collection<? extends T> providers, List<String> failures) {
    Objects.requireNonNull(kind, "kind");
    SortedMap<String, T> byName = new TreeMap<>();
    for (T provider : providers) {
      Objects.requireNonNull(provider, "provider");
      String name = Objects.requireNonNull(nameOf.apply(provider), () -> provider.getClass().getName() + " name");
      T previous = byName.putIfAbsent(name, provider);
      if (previous != null) {
        throw new IllegalArgumentException("two " + kind + " providers are named '" + name + "': "
            + previous.getClass().getName() + " and " + provider.getClass().getName());
      }
    }
    return new ProviderRegistry<>(kind, byName, failures);
  }

  /** The provider names, sorted. */
  public SortedSet<String> names() {
    return Collections.unmodifiableSortedSet(new TreeSet<>(byName.keySet()));
  }

  /** Every provider, by name. */
  public List<T> all() {
    return List.copyOf(byName.values());
  }

  /** The provider of that name, if there is one. */
  public Optional<T> find(String name) {
    return Optional.ofNullable(byName.get(Objects.requireNonNull(name, "name")));
  }

  /**
   * The provider of that name.
   *
   * @throws IllegalArgumentException with {@link #unknown(String)}'s message, if there is none
   */
  public T get(String name) {
    return find(name).orElseThrow(() -> new IllegalArgumentException(unknown(name)));
  }

  /** Providers that failed to load, each as its class and cause. */
  public List<String> failures() {
    return failures;
  }

  /** The message for a name no provider has: the known names, and the providers that failed to load. */
  public String unknown(String name) {
    return "no " + kind + " named '" + name + "'; known: " + byName.keySet()
        + (failures.isEmpty() ? "" : "; failed to load: " + failures);
  }

  @Override
  public String toString() {
    return kind + " providers" + byName.keySet() + (failures.isEmpty() ? "" : " (failed: " + failures + ")");
  }
}
