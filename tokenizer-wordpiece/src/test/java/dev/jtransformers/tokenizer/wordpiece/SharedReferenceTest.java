package dev.jtransformers.tokenizer.wordpiece;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jtransformers.api.Encoding;
import dev.jtransformers.tokenizer.ComposedTokenizer;
import dev.jtransformers.tokenizer.Tokenizers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hugging Face's own output (Rust {@code tokenizers}, recorded in ../shared/reference) for the seeds and ~2,000
 * varied lines, compared field by field. The references count offsets in code points; ours are UTF-16 indices.
 */
class SharedReferenceTest {

  @ParameterizedTest
  @ValueSource(strings = {"seeds.tokenizer.jsonl", "tokenizer.sample.jsonl"})
  void matchesTheRecordedRustOutput(String file) throws IOException {
    Path shared = Fixtures.shared();
    ComposedTokenizer tokenizer = Tokenizers.load(shared.resolve("models/minilm-l6-sst2/tokenizer.json"));
    List<String> lines = Files.readAllLines(shared.resolve("reference").resolve(file), StandardCharsets.UTF_8);
    assertTrue(lines.size() > 5, file + " has too few lines");
    for (String line : lines) {
      JsonNode expected = Fixtures.JSON.readTree(line);
      String text = expected.get("text").asText();
      Encoding actual = tokenizer.encode(text);
      String where = file + ": " + text;
      assertArrayEquals(ints(expected.get("input_ids")), actual.ids(), where);
      assertEquals(strings(expected.get("tokens")), actual.tokens(), where);
      assertArrayEquals(ints(expected.get("token_type_ids")), actual.typeIds(), where);
      assertArrayEquals(ints(expected.get("special_tokens_mask")), actual.specialTokensMask(), where);
      int[][] offsets = actual.offsets();
      for (int i = 0; i < offsets.length; i++) {
        JsonNode span = expected.get("offsets").get(i);
        int[] utf16 = {toUtf16(text, span.get(0).asInt()), toUtf16(text, span.get(1).asInt())};
        assertArrayEquals(utf16, offsets[i], where + " (offsets of token " + i + ")");
      }
    }
  }

  static int toUtf16(String text, int codePointIndex) {
    return text.offsetByCodePoints(0, codePointIndex);
  }

  private static int[] ints(JsonNode array) {
    int[] values = new int[array.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = array.get(i).asInt();
    }
    return values;
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asText()));
    return values;
  }
}
