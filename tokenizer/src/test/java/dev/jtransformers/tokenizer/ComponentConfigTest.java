package dev.jtransformers.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.jtransformers.tokenizer.normalizers.BertNormalizer;
import dev.jtransformers.tokenizer.normalizers.LowercaseNormalizer;
import dev.jtransformers.tokenizer.normalizers.NormalizerSequence;
import dev.jtransformers.tokenizer.pretokenizers.BertPreTokenizer;
import dev.jtransformers.tokenizer.pretokenizers.PreTokenizerSequence;
import dev.jtransformers.tokenizer.pretokenizers.WhitespaceSplitPreTokenizer;
import dev.jtransformers.tokenizer.processors.BertProcessing;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The generic components built from their {@code tokenizer.json} sections: Hugging Face's defaults for what is left
 * out, and an error naming the file, the section and the option for what is malformed.
 */
class ComponentConfigTest {
  private static final TokenizerComponents COMPONENTS = TokenizerComponents.discover();
  private static final Map<String, Stage<?>> STAGES = Map.of(
      "normalizer", Stage.NORMALIZER, "pre_tokenizer", Stage.PRE_TOKENIZER, "post_processor", Stage.POST_PROCESSOR);

  private static <T> T build(Stage<T> stage, String section) throws JsonProcessingException {
    String json = "{\"" + stage.section() + "\": " + section + "}";
    return ConfigSection.root(TokenizerLoader.JSON.readTree(json), "test.json", COMPONENTS)
        .section(stage.section())
        .component(stage);
  }

  @Test
  void leftOutOptionsTakeBertsDefaults() throws JsonProcessingException {
    assertEquals(new BertNormalizer(true, true, null, true), build(Stage.NORMALIZER, "{\"type\": \"BertNormalizer\"}"));
    assertEquals(new BertNormalizer(false, true, false, true),
        build(Stage.NORMALIZER, "{\"type\": \"BertNormalizer\", \"clean_text\": false, \"strip_accents\": false}"));
    assertEquals(new NormalizerSequence(List.of(new LowercaseNormalizer())),
        build(Stage.NORMALIZER, "{\"type\": \"Sequence\", \"normalizers\": [{\"type\": \"Lowercase\"}]}"));
    assertEquals(new PreTokenizerSequence(List.of(new WhitespaceSplitPreTokenizer(), new BertPreTokenizer())),
        build(Stage.PRE_TOKENIZER, "{\"type\": \"Sequence\", \"pretokenizers\": [{\"type\": \"WhitespaceSplit\"},"
            + " {\"type\": \"BertPreTokenizer\"}]}"));
    assertEquals(new BertProcessing("[SEP]", 102, "[CLS]", 101),
        build(Stage.POST_PROCESSOR, "{\"type\": \"BertProcessing\", \"sep\": [\"[SEP]\", 102], \"cls\": [\"[CLS]\", 101]}"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      a flag that is no boolean   | normalizer     | {"type": "BertNormalizer", "lowercase": "yes"}              | test.json (normalizer): "lowercase" must be true or false
      no type                     | normalizer     | {"lowercase": true}                                         | test.json (normalizer): missing "type"
      a sequence without its list | normalizer     | {"type": "Sequence"}                                        | test.json (normalizer): missing "normalizers"
      a list item that is no object | pre_tokenizer | {"type": "Sequence", "pretokenizers": ["WhitespaceSplit"]} | test.json (pre_tokenizer): each of "pretokenizers" must be a JSON object
      a bad nested option         | normalizer     | {"type": "Sequence", "normalizers": [{"type": "BertNormalizer", "clean_text": 1}]} | test.json (normalizer.normalizers[0]): "clean_text" must be true or false
      a template piece of no kind | post_processor | {"type": "TemplateProcessing", "single": [{"Pair": {}}], "pair": []} | test.json (post_processor.single[0]): a template piece must be a Sequence or a SpecialToken
      an unknown sequence id      | post_processor | {"type": "TemplateProcessing", "single": [{"Sequence": {"id": "C"}}], "pair": []} | test.json (post_processor): unknown sequence C in template (A or B expected)
      ids and tokens that differ  | post_processor | {"type": "TemplateProcessing", "single": [], "pair": [], "special_tokens": {"[X]": {"ids": [1, 2], "tokens": ["[X]"]}}} | test.json (post_processor.special_tokens.[X]): special token [X] has 2 ids but 1 tokens
      a BertProcessing sep of one | post_processor | {"type": "BertProcessing", "sep": ["[SEP]"], "cls": ["[CLS]", 101]} | test.json (post_processor): BertProcessing sep and cls must be [token, id] pairs
      """)
  void aMalformedSectionIsNamedWithItsOption(String what, String stage, String section, String message) {
    TokenizerConfigException e =
        assertThrows(TokenizerConfigException.class, () -> build(STAGES.get(stage), section), what);
    assertEquals(message, e.getMessage());
  }
}
