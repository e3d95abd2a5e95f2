package dev.jtransformers.tokenizer;

/**
 * A stage of the tokenizer pipeline, named as its section of {@code tokenizer.json}: what a
 * {@link ComponentFactory} builds and where its {@code "type"} is read. The five constants are all there is.
 *
 * @param <T> the interface the stage's components implement
 */
public final class Stage<T> {
  /** {@code "normalizer"}: builds a {@link Normalizer}. */
  public static final Stage<Normalizer> NORMALIZER = new Stage<>("normalizer", Normalizer.class);
  /** {@code "pre_tokenizer"}: builds a {@link PreTokenizer}. */
  public static final Stage<PreTokenizer> PRE_TOKENIZER = new Stage<>("pre_tokenizer", PreTokenizer.class);
  /** {@code "model"}: builds a {@link TokenizerModel}. */
  public static final Stage<TokenizerModel> MODEL = new Stage<>("model", TokenizerModel.class);
  /** {@code "post_processor"}: builds a {@link PostProcessor}. */
  public static final Stage<PostProcessor> POST_PROCESSOR = new Stage<>("post_processor", PostProcessor.class);
  /** {@code "decoder"}: builds a {@link Decoder}. */
  public static final Stage<Decoder> DECODER = new Stage<>("decoder", Decoder.class);

  private final String section;
  private final Class<T> componentType;

  private Stage(String section, Class<T> componentType) {
    this.section = section;
    this.componentType = componentType;
  }

  /** The stage's section of {@code tokenizer.json}, e.g. {@code "pre_tokenizer"}. */
  public String section() {
    return section;
  }

  /** The interface its components implement. */
  Class<T> componentType() {
    return componentType;
  }

  @Override
  public String toString() {
    return section;
  }
}
