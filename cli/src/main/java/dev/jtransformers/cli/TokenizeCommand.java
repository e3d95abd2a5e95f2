package dev.jtransformers.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jtransformers.api.EncodeOptions;
import dev.jtransformers.api.Encoding;
import dev.jtransformers.api.TextInput;
import dev.jtransformers.api.Tokenizer;
import dev.jtransformers.api.TransformersException;
import dev.jtransformers.models.ModelResolver;
import dev.jtransformers.pipelines.spi.TextInputJson;
import dev.jtransformers.tokenizer.Tokenizers;
import java.io.BufferedWriter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code tokenize}: JSON Lines of texts (or pairs) on stdin, one JSON object of ids, masks, tokens and offsets per
 * line on stdout. Padding applies across all input lines, as one batch.
 */
@Command(
    name = "tokenize",
    mixinStandardHelpOptions = true,
    description =
        "Reads JSON Lines on stdin (a JSON string, or {\"text\": ..., \"text_pair\": ...} per line) and"
            + " writes one JSON object per line: input_ids, token_type_ids, attention_mask, tokens, offsets"
            + " ([start, end) in UTF-16 units), special_tokens_mask. A line that can't be parsed yields"
            + " {\"error\": ..., \"line\": N}.")
final class TokenizeCommand implements Callable<Integer> {

  /** Python's truncation strategy names. */
  enum TruncationName {
    longest_first(EncodeOptions.Truncation.LONGEST_FIRST),
    only_first(EncodeOptions.Truncation.ONLY_FIRST),
    only_second(EncodeOptions.Truncation.ONLY_SECOND);

    final EncodeOptions.Truncation strategy;

    TruncationName(EncodeOptions.Truncation strategy) {
      this.strategy = strategy;
    }
  }

  /** Python's padding names. */
  enum PaddingName {
    longest(EncodeOptions.Padding.LONGEST),
    max_length(EncodeOptions.Padding.MAX_LENGTH);

    final EncodeOptions.Padding padding;

    PaddingName(EncodeOptions.Padding padding) {
      this.padding = padding;
    }
  }

  /** Lines encoded at once when they stream. */
  private static final int BATCH = 1024;

  @Spec CommandSpec spec;

  @Option(
      names = "--tokenizer",
      required = true,
      description = "A tokenizer.json file, a model directory, or an embedded model id.")
  String tokenizer;

  @Option(names = "--max-length", description = "Truncate to this many tokens (longest_first unless --truncation).")
  Integer maxLength;

  @Option(names = "--truncation", description = "longest_first, only_first or only_second.")
  TruncationName truncation;

  @Option(names = "--stride", defaultValue = "0", description = "Tokens shared by overflowing windows.")
  int stride;

  @Option(names = "--padding", description = "longest (across all input lines) or max_length.")
  PaddingName padding;

  @Option(names = "--no-special-tokens", description = "Do not add [CLS]/[SEP].")
  boolean noSpecialTokens;

  @Option(names = "--fail-fast", description = "Stop at the first line that fails.")
  boolean failFast;

  @Override
  public Integer call() throws IOException, InterruptedException {
    EncodeOptions options = encodeOptions();
    Path path = Path.of(tokenizer);
    Tokenizer tok = Tokenizers.load(Files.exists(path) ? path : new ModelResolver().resolve(tokenizer));
    // Padding to the longest pads across every line, so it needs them all; otherwise lines stream.
    int batchSize = options.padding() == EncodeOptions.Padding.LONGEST ? Integer.MAX_VALUE : BATCH;
    Writer out = new BufferedWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.out),
        StandardCharsets.UTF_8));
    try (LineFeed<TextInput> lines = new LineFeed<>(System.in, TextInputJson::read)) {
      return LineRun.run(lines, batchSize, batch -> encode(tok, options, batch), out, spec.commandLine().getErr(),
          failFast, null);
    }
  }

  /** The lines' encodings, padded together when asked; a line that can't be encoded gets its error. */
  private static List<JsonNode> encode(Tokenizer tok, EncodeOptions options, List<JsonLines.Line<TextInput>> lines) {
    List<JsonNode> results = new ArrayList<>(lines.size());
    List<Encoding> encodings = new ArrayList<>();
    List<Integer> encoded = new ArrayList<>();
    for (JsonLines.Line<TextInput> line : lines) {
      if (!line.ok()) {
        results.add(line.errorJson());
        continue;
      }
      try {
        encodings.add(tok.encode(line.input(), options));
        results.add(null); // filled in below, once padding is known
        encoded.add(results.size() - 1);
      } catch (TransformersException | IllegalArgumentException e) {
        // e.g. only_second truncation of a single text that is too long
        results.add(JsonLines.Line.errorJson(line.number(), e.getMessage()));
      }
    }
    if (options.padding() == EncodeOptions.Padding.LONGEST && !encodings.isEmpty()) {
      encodings = tok.pad(encodings, options).encodings();
    }
    for (int i = 0; i < encodings.size(); i++) {
      results.set(encoded.get(i), toJson(encodings.get(i)));
    }
    return results;
  }

  private EncodeOptions encodeOptions() {
    EncodeOptions.Builder b = EncodeOptions.builder().addSpecialTokens(!noSpecialTokens).stride(stride);
    if (maxLength != null) {
      b.maxLength(maxLength)
          .truncation(truncation == null ? EncodeOptions.Truncation.LONGEST_FIRST : truncation.strategy);
    } else if (truncation != null) {
      throw new ParameterException(spec.commandLine(), "--truncation needs --max-length");
    }
    if (padding != null) {
      b.padding(padding.padding);
    }
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  static ObjectNode toJson(Encoding e) {
    ObjectNode node = JsonLines.MAPPER.createObjectNode();
    putInts(node.putArray("input_ids"), e.ids());
    putInts(node.putArray("token_type_ids"), e.typeIds());
    putInts(node.putArray("attention_mask"), e.attentionMask());
    ArrayNode tokens = node.putArray("tokens");
    e.tokens().forEach(tokens::add);
    ArrayNode offsets = node.putArray("offsets");
    for (int[] span : e.offsets()) {
      offsets.addArray().add(span[0]).add(span[1]);
    }
    putInts(node.putArray("special_tokens_mask"), e.specialTokensMask());
    if (!e.overflowing().isEmpty()) {
      ArrayNode overflowing = node.putArray("overflowing");
      e.overflowing().forEach(o -> overflowing.add(toJson(o)));
    }
    return node;
  }

  private static void putInts(ArrayNode array, int[] values) {
    for (int v : values) {
      array.add(v);
    }
  }
}
