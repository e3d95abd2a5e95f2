package dev.jtransformers.tokenizer.wordpiece;

import ai.djl.huggingface.tokenizers.jni.CharSpan;
import ai.djl.huggingface.tokenizers.jni.LibUtils;
import ai.djl.huggingface.tokenizers.jni.TokenizersLibrary;
import java.util.ArrayList;
import java.util.List;

/**
 * The Hugging Face Rust tokenizer through DJL's JNI binding, driven directly so that a test controls every
 * setting (truncation and padding sides included) through the {@code tokenizer.json} it is built from.
 *
 * <p>Offsets come back as Rust reports them: in Unicode code points of the text the JNI layer received.
 */
final class RustTokenizer implements AutoCloseable {
  private static final TokenizersLibrary LIB = TokenizersLibrary.LIB;

  static {
    // DJL must never phone home; surefire sets these too, but a generator run from elsewhere may not.
    System.setProperty("OPT_OUT_TRACKING", "true");
    System.setProperty("DJL_OFFLINE", "true");
  }

  private final long handle;

  private RustTokenizer(long handle) {
    this.handle = handle;
  }

  /** Builds the Rust tokenizer from the text of a {@code tokenizer.json}. */
  static RustTokenizer fromJson(String tokenizerJson) {
    LibUtils.checkStatus();
    return new RustTokenizer(LIB.createTokenizerFromString(tokenizerJson));
  }

  /** What Rust returns for one input; {@code offsets} holds start and end per token, interleaved. */
  record Result(
      int[] ids,
      int[] typeIds,
      String[] tokens,
      int[] offsets,
      int[] specialTokensMask,
      int[] attentionMask,
      int[] wordIds,
      List<Result> overflowing) {}

  Result encode(String text, String textPair, boolean addSpecialTokens) {
    long encoding =
        textPair == null
            ? LIB.encode(handle, text, addSpecialTokens)
            : LIB.encodeDual(handle, text, textPair, addSpecialTokens);
    return read(encoding);
  }

  List<Result> encodeBatch(String[] texts, String[] textPairs, boolean addSpecialTokens) {
    long[] encodings =
        textPairs == null
            ? LIB.batchEncode(handle, texts, addSpecialTokens)
            : LIB.batchEncodePair(handle, texts, textPairs, addSpecialTokens);
    List<Result> results = new ArrayList<>(encodings.length);
    for (long encoding : encodings) {
      results.add(read(encoding));
    }
    return results;
  }

  /** Only the tokens of each text, for bulk sweeps. */
  String[][] tokensOfBatch(String[] texts, boolean addSpecialTokens) {
    long[] encodings = LIB.batchEncode(handle, texts, addSpecialTokens);
    String[][] tokens = new String[encodings.length][];
    for (int i = 0; i < encodings.length; i++) {
      tokens[i] = LIB.getTokens(encodings[i]);
      LIB.deleteEncoding(encodings[i]);
    }
    return tokens;
  }

  String decode(int[] ids, boolean skipSpecialTokens) {
    long[] longIds = new long[ids.length];
    for (int i = 0; i < ids.length; i++) {
      longIds[i] = ids[i];
    }
    return LIB.decode(handle, longIds, skipSpecialTokens);
  }

  private static Result read(long encoding) {
    try {
      CharSpan[] spans = LIB.getTokenCharSpans(encoding);
      int[] offsets = new int[2 * spans.length];
      for (int i = 0; i < spans.length; i++) {
        // Rust reports no span for tokens outside every sequence (special and padding tokens).
        if (spans[i] != null) {
          offsets[2 * i] = spans[i].getStart();
          offsets[2 * i + 1] = spans[i].getEnd();
        }
      }
      List<Result> overflowing = new ArrayList<>();
      for (long o : LIB.getOverflowing(encoding)) {
        overflowing.add(read(o));
      }
      return new Result(
          toInts(LIB.getTokenIds(encoding)),
          toInts(LIB.getTypeIds(encoding)),
          LIB.getTokens(encoding),
          offsets,
          toInts(LIB.getSpecialTokenMask(encoding)),
          toInts(LIB.getAttentionMask(encoding)),
          toInts(LIB.getWordIds(encoding)),
          overflowing);
    } finally {
      LIB.deleteEncoding(encoding);
    }
  }

  private static int[] toInts(long[] values) {
    int[] ints = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      ints[i] = Math.toIntExact(values[i]);
    }
    return ints;
  }

  @Override
  public void close() {
    LIB.deleteTokenizer(handle);
  }
}
