package dev.jtransformers.tokenizer;

import java.util.Objects;

/**
 * Builds one type of component of one stage from its section of {@code tokenizer.json}: the SPI through which
 * normalizers, pre-tokenizers, models, post-processors and decoders plug in. Register a subclass in
 * {@code META-INF/services/dev.jtransformers.tokenizer.ComponentFactory}; {@link TokenizerComponents} finds it
 * there and picks it by the section's {@code "type"}.
 *
 * <p>A factory is cheap to create (a public no-argument constructor that names its stage and type) and immutable.
 * It reads the documented options of its component, with Hugging Face's defaults for those left out.
 *
 * @param <T> the stage's interface
 */
public abstract class ComponentFactory<T> {
  private final Stage<T> stage;
  private final String type;

  /**
   * @param stage the stage whose components this factory builds
   * @param type the {@code "type"} it builds, exactly as {@code tokenizer.json} spells it, e.g.
   *     {@code "BertNormalizer"}
   */
  protected ComponentFactory(Stage<T> stage, String type) {
    this.stage = Objects.requireNonNull(stage, "stage");
    this.type = Objects.requireNonNull(type, "type");
  }

  /** The stage whose components this factory builds. */
  public final Stage<T> stage() {
    return stage;
  }

  /** The {@code "type"} it builds. */
  public final String type() {
    return type;
  }

  /**
   * The component a section describes.
   *
   * @throws TokenizerConfigException from {@link ConfigSection}'s readers or {@link ConfigSection#error}, if the
   *     section is malformed
   * @throws IllegalArgumentException if the component rejects the values; the caller reports it with the section's
   *     location
   */
  public abstract T create(ConfigSection config);

  /**
   * The factory of a component without options, such as {@code {"type": "BertPreTokenizer"}}: every section of its
   * type stands for the same immutable instance.
   *
   * @param <T> the stage's interface
   */
  public abstract static class WithoutOptions<T> extends ComponentFactory<T> {
    private final T component;

    protected WithoutOptions(Stage<T> stage, String type, T component) {
      super(stage, type);
      this.component = Objects.requireNonNull(component, "component");
    }

    @Override
    public final T create(ConfigSection config) {
      return component;
    }
  }
}
