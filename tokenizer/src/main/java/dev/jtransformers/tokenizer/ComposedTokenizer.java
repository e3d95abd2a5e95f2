package dev.jtransformers.tokenizer.wordpiece;

import dev.jtransformers.api.BatchEncoding;
import dev.jtransformers.api.EncodeOptions;
import dev.jtransformers.api.EncodeOptions.Padding;
import dev.jtransformers.api.EncodeOptions.Truncation;
import dev.jtransformers.api.Encoding;
import dev.jtransformers.api.InvalidInputException;
import dev.jtransformers.api.TextInput;
import dev.jtransformers.api.Tokenizer;
import dev.jtransformers.api.TokenizerException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A BERT-family WordPiece tokenizer whose output equals Hugging Face {@code tokenizers} id for id, token for
 * token and offset for offset: added tokens, then normaliser, pre-tokeniser, WordPiece model, post-processor, as
 * a {@code tokenizer.json} composes them.
 *
 * <p>Offsets are {@code [start, end)} indices into the input Java {@code String} in UTF-16 units. Character
 * classes and mappings are Hugging Face's (frozen in its Rust crates), not the JDK's. A string with a lone
 * surrogate is tokenized like the Rust tokenizer receives it through JNI (DJL): the whole string is then decoded
 * leniently, every surrogate unit becoming three U+FFFD and U+0000 two, which {@code clean_text} removes; offsets
 * still index the Java string.
 *
 * <p>Immutable and thread-safe.
 */
public final class WordPieceTokenizer implements Tokenizer {
  private final Normalizer normalizer;
  private final PreTokenizer preTokenizer;
  private final WordPieceModel model;
  private final AddedVocabulary addedVocabulary;
  private final PostProcessor postProcessor;
  private final Decoder decoder;
  private final OptionalInt modelMaxLength;
  private final boolean cleanUpTokenizationSpaces;
  private final String padToken;
  private final int padTokenId;
  private final int vocabSize;

  WordPieceTokenizer(
      Normalizer normalizer,
      PreTokenizer preTokenizer,
      WordPieceModel model,
      AddedVocabulary addedVocabulary,
      PostProcessor postProcessor,
      Decoder decoder,
      OptionalInt modelMaxLength,
      boolean cleanUpTokenizationSpaces,
      String padToken) {
    this.normalizer = normalizer;
    this.preTokenizer = preTokenizer;
    this.model = model;
    this.addedVocabulary = addedVocabulary;
    this.postProcessor = postProcessor;
    this.decoder = decoder;
    this.modelMaxLength = modelMaxLength;
    this.cleanUpTokenizationSpaces = cleanUpTokenizationSpaces;
    Integer padId = padToken == null ? null : tokenToId(padToken);
    this.padToken = padId == null ? null : padToken;
    this.padTokenId = padId == null ? -1 : padId;
    Set<String> all = new HashSet<>(model.vocab().keySet());
    all.addAll(addedVocabulary.contents());
    this.vocabSize = all.size();
  }

  /**
   * Loads a tokenizer from a {@code tokenizer.json} file or a model directory: its {@code tokenizer.json} if
   * there is one, else {@code vocab.txt} with {@code tokenizer_config.json} and {@code special_tokens_map.json}.
   * The {@code tokenizer_config.json} beside a {@code tokenizer.json} supplies {@code model_max_length},
   * {@code clean_up_tokenization_spaces} and the padding token.
   *
   * @throws TokenizerException if files are missing or malformed, or the model is not WordPiece
   */
  public static WordPieceTokenizer load(Path path) {
    return TokenizerLoader.load(Objects.requireNonNull(path, "path"));
  }

  /**
   * Loads a tokenizer from the content of a {@code tokenizer.json}, e.g. a resource of a jar. The stream is read
   * to its end but not closed.
   *
   * @throws TokenizerException if it is malformed or the model is not WordPiece
   */
  public static WordPieceTokenizer load(InputStream tokenizerJson) {
    return TokenizerLoader.load(Objects.requireNonNull(tokenizerJson, "tokenizerJson"), "tokenizer.json stream");
  }

  /** The longest input the model takes ({@code model_max_length} of {@code tokenizer_config.json}), if known. */
  public OptionalInt modelMaxLength() {
    return modelMaxLength;
  }

  /** Whether {@link #decode(int[], boolean)} cleans up spaces ({@code clean_up_tokenization_spaces}). */
  public boolean cleanUpTokenizationSpaces() {
    return cleanUpTokenizationSpaces;
  }

  @Override
  public Encoding encode(TextInput input, EncodeOptions options) {
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(options, "options");
    TokenSequence sequence = encodeUnpadded(input, options);
    if (options.padding() != Padding.NONE) {
      pad(sequence, padLength(options, sequence.length()), options);
    }
    return sequence.toEncoding();
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
    return padded(sequences, options);
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
    return padded(sequences, options);
  }

  /** Pads sequences as the options say (to the longest of them, or to the maximum length) into a batch. */
  private BatchEncoding padded(List<TokenSequence> sequences, EncodeOptions options) {
    int longest = 0;
    for (TokenSequence sequence : sequences) {
      longest = Math.max(longest, sequence.length());
    }
    List<Encoding> encodings = new ArrayList<>(sequences.size());
    for (TokenSequence sequence : sequences) {
      if (options.padding() != Padding.NONE) {
        pad(sequence, padLength(options, longest), options);
      }
      encodings.add(sequence.toEncoding());
    }
    return BatchEncoding.of(encodings);
  }

  private TokenSequence encodeUnpadded(TextInput input, EncodeOptions options) {
    TokenSequence first = tokenizeText(input.text(), 0);
    TokenSequence second = input.isPair() ? tokenizeText(input.textPair(), 1) : null;
    if (options.truncation() != Truncation.NONE) {
      truncate(first, second, options);
    }
    return postProcessor.process(first, second, options.addSpecialTokens());
  }

  /** Added tokens, then per remaining piece: normalise, normalised added tokens, pre-tokenise, WordPiece. */
  private TokenSequence tokenizeText(String text, int typeId) {
    NormalizedText input = NormalizedText.of(text);
    TokenSequence out = new TokenSequence(input.length() / 3 + 4);
    Ranges pieces = new Ranges();
    addedVocabulary.split(input, 0, input.length(), false, pieces);
    int word = 0;
    for (int p = 0; p < pieces.size(); p++) {
      int from = pieces.from(p);
      int to = pieces.to(p);
      if (pieces.tag(p) != Ranges.UNTAGGED) {
        out.add(pieces.tag(p), input.text(from, to), input.start(from), input.end(to - 1), word++);
        continue;
      }
      NormalizedText piece = normalizer == null ? input.slice(from, to) : normalizer.normalize(input.slice(from, to));
      Ranges normalizedPieces = new Ranges();
      addedVocabulary.split(piece, 0, piece.length(), true, normalizedPieces);
      for (int q = 0; q < normalizedPieces.size(); q++) {
        int f = normalizedPieces.from(q);
        int t = normalizedPieces.to(q);
        if (normalizedPieces.tag(q) != Ranges.UNTAGGED) {
          out.add(normalizedPieces.tag(q), piece.text(f, t), piece.start(f), piece.end(t - 1), word++);
        } else if (preTokenizer == null) {
          model.tokenize(piece, f, t, word++, out);
        } else {
          Ranges words = new Ranges();
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

  /** Hugging Face's {@code truncate_encodings}, with the special tokens' room taken off the maximum first. */
  private void truncate(TokenSequence first, TokenSequence second, EncodeOptions options) {
    boolean pair = second != null;
    int special = options.addSpecialTokens() ? postProcessor.addedTokens(pair) : 0;
    int maxLength = options.maxLength() - special;
    if (maxLength < 0) {
      throw new IllegalArgumentException("maxLength " + options.maxLength() + " leaves no room for the " + special
          + " special tokens of " + (pair ? "a pair" : "one sequence"));
    }
    int stride = options.stride();
    if (stride > options.maxLength() - postProcessor.addedTokens(false)) {
      throw new IllegalArgumentException("stride " + stride + " is greater than the effective max length "
          + (options.maxLength() - postProcessor.addedTokens(false)) + " (maxLength minus special tokens)");
    }
    if (maxLength == 0) {
      first.truncate(0, stride, options.truncationSide());
      if (pair) {
        second.truncate(0, stride, options.truncationSide());
      }
      return;
    }
    int total = first.length() + (pair ? second.length() : 0);
    if (total <= maxLength) {
      return;
    }
    int toRemove = total - maxLength;
    switch (options.truncation()) {
      case LONGEST_FIRST -> {
        if (!pair) {
          first.truncate(maxLength, stride, options.truncationSide());
          return;
        }
        // Keep the shorter whole if it fits in half; else split the room in half, the odd token to the second.
        int n1 = Math.min(first.length(), second.length());
        int n2 = n1 > maxLength ? n1 : Math.max(n1, maxLength - n1);
        if (n1 + n2 > maxLength) {
          n1 = maxLength / 2;
          n2 = n1 + maxLength % 2;
        }
        boolean firstIsLonger = first.length() > second.length();
        first.truncate(firstIsLonger ? n2 : n1, stride, options.truncationSide());
        second.truncate(firstIsLonger ? n1 : n2, stride, options.truncationSide());
      }
      case ONLY_FIRST, ONLY_SECOND -> {
        TokenSequence target = options.truncation() == Truncation.ONLY_FIRST ? first : second;
        if (target == null) {
          throw new InvalidInputException("truncation ONLY_SECOND needs a pair of texts, got one text too long for "
              + options.maxLength() + " tokens");
        }
        if (target.length() <= toRemove) {
          throw new InvalidInputException("truncation " + options.truncation() + " cannot fit the input in "
              + options.maxLength() + " tokens: the truncated text has " + target.length() + " tokens, "
              + toRemove + " would have to go");
        }
        target.truncate(target.length() - toRemove, stride, options.truncationSide());
      }
      default -> throw new AssertionError(options.truncation());
    }
  }

  private static int padLength(EncodeOptions options, int longest) {
    int length = options.padding() == Padding.MAX_LENGTH ? options.maxLength() : longest;
    int multiple = options.padToMultipleOf();
    if (multiple > 0 && length % multiple != 0) {
      length += multiple - length % multiple;
    }
    return length;
  }

  private void pad(TokenSequence sequence, int length, EncodeOptions options) {
    if (padTokenId < 0) {
      throw new TokenizerException("padding asked for, but the tokenizer has no padding token (pad_token)");
    }
    sequence.pad(length, padTokenId, 0, padToken, options.paddingSide());
  }

  @Override
  public List<String> tokenize(String text) {
    Objects.requireNonNull(text, "text");
    return encode(TextInput.of(text), EncodeOptions.builder().addSpecialTokens(false).build()).tokens();
  }

  @Override
  public int[] convertTokensToIds(List<String> tokens) {
    Objects.requireNonNull(tokens, "tokens");
    int[] ids = new int[tokens.size()];
    int unk = model.tokenToId(model.unkToken());
    for (int i = 0; i < ids.length; i++) {
      Integer id = tokenToId(Objects.requireNonNull(tokens.get(i), "tokens[" + i + "]"));
      ids[i] = id == null ? unk : id;
    }
    return ids;
  }

  private Integer tokenToId(String token) {
    Integer id = addedVocabulary.idOf(token);
    return id != null ? id : model.tokenToId(token);
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
    String token = added != null ? added.content() : model.idToToken(id);
    if (token == null) {
      throw new IllegalArgumentException("id " + id + " is not in the vocabulary");
    }
    return token;
  }

  /**
   * {@inheritDoc}
   *
   * <p>The decoder of the {@code tokenizer.json} always applies (the WordPiece decoder cleans up token by token
   * when its {@code cleanup} is set); {@code cleanUpTokenizationSpaces} adds Python {@code transformers}' clean-up
   * of the whole text.
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
    return cleanUpTokenizationSpaces ? cleanUp(text) : text;
  }

  /**
   * Python {@code transformers}' {@code clean_up_tokenization}; the WordPiece decoder's own clean-up is this plus one
   * rewrite.
   */
  static String cleanUp(String text) {
    return text.replace(" .", ".")
        .replace(" ?", "?")
        .replace(" !", "!")
        .replace(" ,", ",")
        .replace(" ' ", "'")
        .replace(" n't", "n't")
        .replace(" 'm", "'m")
        .replace(" 's", "'s")
        .replace(" 've", "'ve")
        .replace(" 're", "'re");
  }

  @Override
  public String decode(int[] ids, boolean skipSpecialTokens) {
    return decode(ids, skipSpecialTokens, cleanUpTokenizationSpaces);
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
    if (padTokenId < 0) {
      throw new TokenizerException("the tokenizer has no padding token (pad_token)");
    }
    return padTokenId;
  }
}
