package dev.jtransformers.tokenizer;

/**
 * A test-only normalizer ({@code "type": "TestStripDigits"}): removes ASCII digits, the other code points keeping
 * their alignment. Registered in this module's test {@code META-INF/services} only.
 */
public record StripDigitsTestNormalizer() implements Normalizer {

  /** Reads {@code {"type": "TestStripDigits"}}, which has no options. */
  public static final class Factory extends ComponentFactory.WithoutOptions<Normalizer> {
    public Factory() {
      super(Stage.NORMALIZER, "TestStripDigits", new StripDigitsTestNormalizer());
    }
  }

  @Override
  public NormalizedText normalize(NormalizedText text) {
    NormalizedText out = new NormalizedText(text.length());
    for (int i = 0; i < text.length(); i++) {
      int cp = text.codePoint(i);
      if (cp < '0' || cp > '9') {
        out.append(cp, text.start(i), text.end(i));
      }
    }
    return out;
  }
}
