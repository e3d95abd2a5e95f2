package dev.jtransformers.backend.tck;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * One line of a fixture's {@code reference.jsonl}: the {@code input_ids} Python {@code transformers} fed the model
 * and the outputs it got.
 *
 * @param text the input text, for messages
 * @param pair whether the input is a text pair ({@code text_pair} present)
 * @param inputIds the token ids, special tokens included
 * @param logits the classification logits
 * @param lastHiddenState the hidden state of each token, {@code [tokens][hidden]}
 */
record ReferenceCase(String text, boolean pair, int[] inputIds, float[] logits, float[][] lastHiddenState) {
  /** {@code [SEP]} in the uncased BERT vocabulary all fixtures share: it ends the first text of a pair. */
  static final int SEP = 102;

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** The cases of {@code reference.jsonl} in a fixture directory. */
  static List<ReferenceCase> read(Path modelDirectory) {
    Path file = modelDirectory.resolve("reference.jsonl");
    try (Stream<String> lines = Files.lines(file)) {
      return lines.filter(line -> !line.isBlank()).map(ReferenceCase::parse).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static ReferenceCase parse(String line) {
    try {
      JsonNode node = MAPPER.readTree(line);
      JsonNode hidden = node.get("last_hidden_state");
      float[][] states = new float[hidden.size()][];
      for (int t = 0; t < states.length; t++) {
        states[t] = floats(hidden.get(t));
      }
      return new ReferenceCase(
          node.get("text").asText(), node.has("text_pair"), ints(node.get("input_ids")), floats(node.get("logits")),
          states);
    } catch (IOException e) {
      throw new UncheckedIOException("malformed reference line: " + line, e);
    }
  }

  /** Token types as a BERT tokenizer sets them: 0 for a single text, 0 then 1 for a pair. */
  int[] tokenTypeIds() {
    return pair ? pairTypeIds(inputIds) : new int[inputIds.length];
  }

  /** Token types of a pair's ids: 0 up to and including the first {@code [SEP]}, 1 after it. */
  static int[] pairTypeIds(int[] ids) {
    int[] types = new int[ids.length];
    int second = 0;
    while (ids[second] != SEP) {
      second++;
    }
    Arrays.fill(types, second + 1, ids.length, 1);
    return types;
  }

  /** The ids of the pair (first, second): {@code [CLS] first [SEP] second [SEP]}, from their single encodings. */
  static int[] pairIds(int[] first, int[] second) {
    int[] ids = Arrays.copyOf(first, first.length + second.length - 1);
    System.arraycopy(second, 1, ids, first.length, second.length - 1); // drop the second [CLS]
    return ids;
  }

  static int[] ints(JsonNode array) {
    int[] values = new int[array.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = array.get(i).intValue();
    }
    return values;
  }

  static float[] floats(JsonNode array) {
    float[] values = new float[array.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = array.get(i).floatValue();
    }
    return values;
  }

  /** The cases that are single texts. */
  static List<ReferenceCase> singles(List<ReferenceCase> cases) {
    List<ReferenceCase> singles = new ArrayList<>();
    for (ReferenceCase c : cases) {
      if (!c.pair) {
        singles.add(c);
      }
    }
    return singles;
  }
}
