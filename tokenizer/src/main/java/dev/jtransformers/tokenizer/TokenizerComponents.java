package dev.jtransformers.tokenizer;

import dev.jtransformers.spi.ProviderRegistry;
import java.util.List;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The open registry of tokenizer components: every {@link ComponentFactory} registered in
 * {@code META-INF/services}, looked up by stage and the {@code "type"} names of {@code tokenizer.json}. Adding a
 * normalizer, pre-tokenizer, model, post-processor or decoder is one factory and one registration line; nothing
 * here changes.
 *
 * <p>Immutable; there is no global instance. A factory that fails to load is kept out, logged and named in the
 * error for an unknown type.
 */
public final class TokenizerComponents {
  private final ProviderRegistry<ComponentFactory<?>> factories;

  private TokenizerComponents(ProviderRegistry<ComponentFactory<?>> factories) {
    this.factories = factories;
  }

  /** The factories visible to the thread's context class loader. */
  public static TokenizerComponents discover() {
    return discover(Thread.currentThread().getContextClassLoader());
  }

  /**
   * The factories visible to {@code classLoader}.
   *
   * @throws IllegalArgumentException naming both classes, if two factories build the same type of one stage
   */
  public static TokenizerComponents discover(ClassLoader classLoader) {
    @SuppressWarnings("unchecked") // ServiceLoader knows no type arguments; each factory declares its own stage
    Class<ComponentFactory<?>> type = (Class<ComponentFactory<?>>) (Class<?>) ComponentFactory.class;
    return new TokenizerComponents(
        ProviderRegistry.discover(type, "tokenizer component", TokenizerComponents::key, classLoader));
  }

  private static String key(ComponentFactory<?> factory) {
    return key(factory.stage(), factory.type());
  }

  private static String key(Stage<?> stage, String type) {
    return stage.section() + "/" + type;
  }

  /** The types the factories of {@code stage} build, sorted. */
  public SortedSet<String> types(Stage<?> stage) {
    String prefix = key(stage, "");
    SortedSet<String> types = new TreeSet<>();
    for (String name : factories.names()) {
      if (name.startsWith(prefix)) {
        types.add(name.substring(prefix.length()));
      }
    }
    return types;
  }

  /** The factories that failed to load, each as its class and cause. */
  public List<String> failures() {
    return factories.failures();
  }

  /**
   * The component {@code config} describes, built by the factory of {@code type}.
   *
   * @throws UnknownComponentException if no factory builds that type
   * @throws TokenizerConfigException if the section is malformed or the component rejects its values
   */
  <T> T create(Stage<T> stage, String type, ConfigSection config) {
    ComponentFactory<?> factory = factories.find(key(stage, type)).orElseThrow(
        () -> new UnknownComponentException(config.where(), stage, type, types(stage), failures()));
    try {
      return Objects.requireNonNull(
          stage.componentType().cast(factory.create(config)), () -> factory.getClass().getName() + " built null");
    } catch (IllegalArgumentException e) {
      throw config.error(e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return factories.toString();
  }
}
