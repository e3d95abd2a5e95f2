package dev.jtransformers.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.jtransformers.api.TokenizerException;
import dev.jtransformers.tokenizer.ComposedTokenizer;
import dev.jtransformers.tokenizer.Tokenizers;
import java.io.ByteArrayInputStream;

/**
 * Any bytes as a {@code tokenizer.json}: a tokenizer that encodes, or a {@link TokenizerException} (unknown
 * component types included) — never another exception, a hang or an out-of-memory error. The seeds are a small
 * BERT tokenizer and variants of it.
 */
class TokenizerJsonFuzzTest {
  @FuzzTest(maxDuration = "60s")
  void loadsOrRefuses(byte[] json) {
    ComposedTokenizer tokenizer;
    try {
      tokenizer = Tokenizers.load(new ByteArrayInputStream(json));
    } catch (TokenizerException e) {
      return;
    }
    tokenizer.encode("Hello, unbelievable world! 日本 café", "a pair");
  }
}
