package dev.jtransformers.tokenizer;

import dev.jtransformers.api.BatchEncoding;
import dev.jtransformers.api.EncodeOptions;
import dev.jtransformers.api.EncodeOptions.Padding;
import dev.jtransformers.api.EncodeOptions.Truncation;
import dev.jtransformers.api.Encoding;
import dev.jtransformers.api.TextInput;
import dev.jtransformers.api.Tokenizer;
import dev.jtransformers.api.TokenizerException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A tokenizer composed of stages as a {@code tokenizer.json} composes them, whose output equals Hugging Face
 * {@code tokenizers} id for id, token for token and offset for offset: added tokens, then normalizer,
 * pre-tokenizer, model, truncation, post-processor and padding; a decoder for the way back. {@link Tokenizers}
 * loads one; the model (WordPiece, or any other a {@link ComponentFactory} provides) is chosen by the file.
 *
 * <p>Offsets are {@code [start, end)} indices into the input Java {@code String} in UTF-16 units. Character
 * classes and mappings are Hugging Face's (frozen in its Rust crates), not the JDK's. A string with a lone
 * surrogate is tokenized like the Rust tokenizer receives it through JNI (DJL): the whole string is then decoded
 * leniently, every surrogate unit becoming three U+FFFD and U+0000 two, which {@code clean_text} removes; offsets
 * still index the Java string.
 *
 * <p>Immutable and thread-safe.
 */
public final class ComposedTokenizer implements Tokenizer {
  private final Normalizer normalizer;
  private final PreTokenizer preTokenizer;
  private final TokenizerModel model;
  private final AddedVocabulary addedVocabulary;
  private final PostProcessor postProcessor;
  private final Decoder decoder;
  private final OptionalInt modelMaxLength;
  private final boolean cleanUpTokenizationSpaces;
  private final Padder padder;
  private final OptionalInt unknownTokenId;
  private final OptionalInt maskTokenId;
  private final int vocabSize;

  /**
   * @param normalizer {@code null} for none
   * @param preTokenizer {@code null} for none: each piece between added tokens is then one word
   * @param padToken {@code null} for none; a token outside the vocabulary counts as none
   * @param maskToken {@code null} for none; a token outside the vocabulary counts as none
   */
  ComposedTokenizer(
      Normalizer normalizer,
      PreTokenizer preTokenizer,
      TokenizerModel model,
      AddedVocabulary addedVocabulary,
      PostProcessor postProcessor,
      Decoder decoder,
      OptionalInt modelMaxLength,
      boolean cleanUpTokenizationSpaces,
      String padToken,
      String maskToken) {
    this.normalizer = normalizer;
    this.preTokenizer = preTokenizer;
    this.model = model;
    this.addedVocabulary = addedVocabulary;
    this.postProcessor = postProcessor;
    this.decoder = decoder;
    this.modelMaxLength = modelMaxLength;
    this.cleanUpTokenizationSpaces = cleanUpTokenizationSpaces;
    OptionalInt padId = padToken == null ? OptionalInt.empty() : tokenToId(padToken);
    this.padder = new Padder(padId.isPresent() ? padToken : null, padId);
    this.unknownTokenId = model.unknownToken().map(this::tokenToId).orElse(OptionalInt.empty());
    this.maskTokenId = maskToken == null ? OptionalInt.empty() : tokenToId(maskToken);
    Set<String> all = new HashSet<>(model.vocab().keySet());
    all.addAll(addedVocabulary.contents());
    this.vocabSize = all.size();
  }

  /** The longest input the model takes ({@code model_max_length} of {@code tokenizer_config.json}), if known. */
  public OptionalInt modelMaxLength() {
    return modelMaxLength;
  }

  /** Whether {@link #decode(int[], boolean)} cleans up spaces ({@code clean_up_tokenization_spaces}). */
  public boolean cleanUpTokenizationSpaces() {
    return cleanUpTokenizationSpaces;
  }

  /** The model, with its vocabulary. */
  public TokenizerModel model() {
    return model;
  }

  /** The added tokens ({@code [CLS]}, {@code [SEP]}, {@code [MASK]}…), special ones first. */
  public List<AddedToken> addedTokens() {
    return addedVocabulary.tokens();
  }

  @Override
  public Encoding encode(TextInput input, EncodeOptions options) {
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(options, "options");
    TokenSequence sequence = encodeUnpadded(input, options);
    return options.padding() == Padding.NONE ? sequence.toEncoding() : padder.pad(List.of(sequence), options).get(0);
  }

  @Override
  public BatchEncoding encodeBatch(List<TextInput> inputs, EncodeOptions options) {
    Objects.requireNonNull(inputs, "inputs");
    Objects.requireNonNull(options, "options");
    if (inputs.isEmpty()) {
      throw new IllegalArgumentException("inputs must not be empty");
    }
    List<TokenSequence> sequences = new ArrayList<>(inputs.size());
    for (int i = 0; i < inputs.size(); i++) {
      sequences.add(encodeUnpadded(Objects.requireNonNull(inputs.get(i), "inputs[" + i + "]"), options));
    }
    return BatchEncoding.of(padder.pad(sequences, options));
  }

  @Override
  public BatchEncoding pad(List<Encoding> encodings, EncodeOptions options) {
    Objects.requireNonNull(encodings, "encodings");
    Objects.requireNonNull(options, "options");
    if (encodings.isEmpty()) {
      throw new IllegalArgumentException("encodings must not be empty");
    }
    if (options.padding() == Padding.NONE) {
      return BatchEncoding.of(encodings);
    }
    List<TokenSequence> sequences = new ArrayList<>(encodings.size());
    for (int i = 0; i < encodings.size(); i++) {
      sequences.add(TokenSequence.of(Objects.requireNonNull(encodings.get(i), "encodings[" + i + "]")));
    }
    return BatchEncoding.of(padder.pad(sequences, options));
  }

  private TokenSequence encodeUnpadded(TextInput input, EncodeOptions options) {
    TokenSequence first = tokenizeText(input.text(), 0);
    TokenSequence second = input.isPair() ? tokenizeText(input.textPair(), 1) : null;
    if (options.truncation() != Truncation.NONE) {
      Truncator.truncate(first, second, options, postProcessor);
    }
    return postProcessor.process(first, second, options.addSpecialTokens());
  }

  /** Added tokens, then per remaining piece: normalize, normalized added tokens, pre-tokenize, the model. */
  private TokenSequence tokenizeText(String text, int typeId) {
    NormalizedText input = NormalizedText.of(text);
    TokenSequence out = new TokenSequence(input.length() / 3 + 4);
    Splits pieces = new Splits();
    addedVocabulary.split(input, 0, input.length(), false, pieces);
    int word = 0;
    for (int p = 0; p < pieces.size(); p++) {
      int from = pieces.from(p);
      int to = pieces.to(p);
      if (pieces.tag(p) != Splits.UNTAGGED) {
        out.add(pieces.tag(p), input.text(from, to), input.start(from), input.end(to - 1), word++);
        continue;
      }
      NormalizedText piece = normalizer == null ? input.slice(from, to) : normalizer.normalize(input.slice(from, to));
      Splits normalizedPieces = new Splits();
      addedVocabulary.split(piece, 0, piece.length(), true, normalizedPieces);
      for (int q = 0; q < normalizedPieces.size(); q++) {
        int f = normalizedPieces.from(q);
        int t = normalizedPieces.to(q);
        if (normalizedPieces.tag(q) != Splits.UNTAGGED) {
          out.add(normalizedPieces.tag(q), piece.text(f, t), piece.start(f), piece.end(t - 1), word++);
        } else if (preTokenizer == null) {
          model.tokenize(piece, f, t, word++, out);
        } else {
          Splits words = new Splits();
          preTokenizer.split(piece, f, t, words);
          for (int w = 0; w < words.size(); w++) {
            model.tokenize(piece, words.from(w), words.to(w), word++, out);
          }
        }
      }
    }
    out.setTypeIds(typeId);
    return out;
  }

  @Override
  public List<String> tokenize(String text) {
    Objects.requireNonNull(text, "text");
    return encode(TextInput.of(text), EncodeOptions.builder().addSpecialTokens(false).build()).tokens();
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException if a token is outside the vocabulary and the model has no unknown token
   */
  @Override
  public int[] convertTokensToIds(List<String> tokens) {
    Objects.requireNonNull(tokens, "tokens");
    int[] ids = new int[tokens.size()];
    for (int i = 0; i < ids.length; i++) {
      String token = Objects.requireNonNull(tokens.get(i), "tokens[" + i + "]");
      OptionalInt id = tokenToId(token);
      ids[i] = id.isPresent() ? id.getAsInt() : unknownTokenId.orElseThrow(() -> new IllegalArgumentException(
          "token " + token + " is not in the vocabulary, and the model has no unknown token"));
    }
    return ids;
  }

  private OptionalInt tokenToId(String token) {
    Integer id = addedVocabulary.idOf(token);
    return id != null ? OptionalInt.of(id) : model.tokenToId(token);
  }

  @Override
  public List<String> convertIdsToTokens(int[] ids) {
    Objects.requireNonNull(ids, "ids");
    List<String> tokens = new ArrayList<>(ids.length);
    for (int id : ids) {
      tokens.add(idToToken(id));
    }
    return tokens;
  }

  private String idToToken(int id) {
    AddedToken added = addedVocabulary.byId(id);
    if (added != null) {
      return added.content();
    }
    return model.idToToken(id).orElseThrow(() -> new IllegalArgumentException("id " + id + " is not in the vocabulary"));
  }

  /**
   * {@inheritDoc}
   *
   * <p>The decoder of the {@code tokenizer.json} always applies (the WordPiece decoder cleans up token by token
   * when its {@code cleanup} is set); {@code cleanUpTokenizationSpaces} adds Python {@code transformers}' clean-up
   * of the whole text ({@link Decoder#cleanUpTokenization}).
   *
   * @throws IllegalArgumentException if an id is outside the vocabulary
   */
  @Override
  public String decode(int[] ids, boolean skipSpecialTokens, boolean cleanUpTokenizationSpaces) {
    Objects.requireNonNull(ids, "ids");
    List<String> tokens = new ArrayList<>(ids.length);
    for (int id : ids) {
      String token = idToToken(id);
      if (!skipSpecialTokens || !addedVocabulary.isSpecial(token)) {
        tokens.add(token);
      }
    }
    String text = decoder.decode(tokens);
    return cleanUpTokenizationSpaces ? Decoder.cleanUpTokenization(text) : text;
  }

  @Override
  public String decode(int[] ids, boolean skipSpecialTokens) {
    return decode(ids, skipSpecialTokens, cleanUpTokenizationSpaces);
  }

  @Override
  public String convertTokensToString(List<String> tokens) {
    Objects.requireNonNull(tokens, "tokens");
    return decoder.decode(List.copyOf(tokens));
  }

  @Override
  public int vocabSize() {
    return vocabSize;
  }

  /**
   * {@inheritDoc}
   *
   * @throws TokenizerException if the tokenizer has no padding token
   */
  @Override
  public int padTokenId() {
    return padder.padTokenId();
  }

  @Override
  public OptionalInt unknownTokenId() {
    return unknownTokenId;
  }

  /** {@inheritDoc} The {@code mask_token} of {@code tokenizer_config.json} or {@code special_tokens_map.json}. */
  @Override
  public OptionalInt maskTokenId() {
    return maskTokenId;
  }
}
