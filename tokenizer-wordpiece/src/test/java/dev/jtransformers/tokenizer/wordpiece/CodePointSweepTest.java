package dev.jtransformers.tokenizer.wordpiece;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jtransformers.api.EncodeOptions;
import dev.jtransformers.api.TextInput;
import dev.jtransformers.tokenizer.ComposedTokenizer;
import dev.jtransformers.tokenizer.Tokenizers;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every code point (surrogates excepted), alone and between letters, through our tokenizer and the Rust one with
 * the real BERT vocabulary: proves the generated character tables, uncased (lowercase, strip accents) and cased.
 */
class CodePointSweepTest {
  private static final int PER_TEXT = 64;
  private static final int PER_BATCH = 512;
  private static final EncodeOptions NO_SPECIAL_TOKENS = EncodeOptions.builder().addSpecialTokens(false).build();

  @ParameterizedTest(name = "lowercase {0}")
  @ValueSource(booleans = {true, false})
  void everyCodePointMatches(boolean lowercase) {
    ObjectNode json = Fixtures.minilmTree();
    json.putNull("padding");
    json.putNull("truncation");
    ((ObjectNode) json.get("normalizer")).put("lowercase", lowercase);
    ComposedTokenizer ours =
        Tokenizers.load(new ByteArrayInputStream(json.toString().getBytes(StandardCharsets.UTF_8)));
    List<String> batch = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    int inText = 0;
    try (RustTokenizer rust = RustTokenizer.fromJson(json.toString())) {
      for (int cp = 0; cp <= Character.MAX_CODE_POINT + 1; cp++) {
        boolean done = cp > Character.MAX_CODE_POINT;
        if (!done && Character.getType(cp) != Character.SURROGATE) {
          // The code point as a word of its own, then inside one.
          text.appendCodePoint(cp).append(" x").appendCodePoint(cp).append("x ");
          inText++;
        }
        if (inText == PER_TEXT || (done && inText > 0)) {
          batch.add(text.toString());
          text.setLength(0);
          inText = 0;
        }
        if (batch.size() == PER_BATCH || (done && !batch.isEmpty())) {
          compare(ours, rust, batch);
          batch.clear();
        }
      }
    }
  }

  private static void compare(ComposedTokenizer ours, RustTokenizer rust, List<String> texts) {
    List<RustTokenizer.Result> expected = rust.encodeBatch(texts.toArray(String[]::new), null, false);
    assertEquals(texts.size(), expected.size());
    for (int i = 0; i < texts.size(); i++) {
      RustDifferentialTest.assertSame(
          texts.get(i), null, expected.get(i), ours.encode(TextInput.of(texts.get(i)), NO_SPECIAL_TOKENS), true);
    }
  }
}
