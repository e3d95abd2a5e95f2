package dev.jtransformers.tokenizer.wordpiece;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jtransformers.api.EncodeOptions;
import dev.jtransformers.api.EncodeOptions.Truncation;
import dev.jtransformers.api.Encoding;
import dev.jtransformers.api.TextInput;
import dev.jtransformers.tokenizer.ComposedTokenizer;
import dev.jtransformers.tokenizer.Tokenizers;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Real multilingual lines (../shared's tokenizer sample and SST-2), as singles and as pairs truncated
 * longest-first to 64 tokens, against the Rust tokenizer; and the same work spread over threads.
 */
class SharedCorpusDifferentialTest {
  private static final EncodeOptions TRUNCATED_64 =
      EncodeOptions.builder().truncation(Truncation.LONGEST_FIRST).maxLength(64).build();

  private static List<String> corpus(Path shared) throws IOException {
    List<String> lines = new ArrayList<>();
    for (String line : Files.readAllLines(shared.resolve("reference/tokenizer.sample.jsonl"), StandardCharsets.UTF_8)) {
      lines.add(Fixtures.JSON.readTree(line).get("text").asText());
    }
    List<String> sst2 = Files.readAllLines(shared.resolve("data/sst2/train.tsv"), StandardCharsets.UTF_8);
    for (String row : sst2.subList(1, 2001)) {
      lines.add(row.substring(0, row.lastIndexOf('\t')));
    }
    return lines;
  }

  @Test
  void realLinesMatchAsSinglesAndTruncatedPairs() throws IOException {
    List<String> lines = corpus(Fixtures.shared());
    ObjectNode json = Fixtures.minilmTree();
    json.putNull("padding");
    json.putObject("truncation").put("direction", "Right").put("max_length", 64)
        .put("strategy", "LongestFirst").put("stride", 0);
    ComposedTokenizer ours = Tokenizers.load(
        new ByteArrayInputStream(json.toString().getBytes(StandardCharsets.UTF_8)));
    try (RustTokenizer rust = RustTokenizer.fromJson(json.toString())) {
      for (int i = 0; i < lines.size(); i++) {
        String text = lines.get(i);
        String pair = lines.get((i * 7 + 3) % lines.size());
        RustDifferentialTest.assertSame(
            text, null, rust.encode(text, null, true), ours.encode(TextInput.of(text), TRUNCATED_64), true);
        RustDifferentialTest.assertSame(
            text, pair, rust.encode(text, pair, true), ours.encode(TextInput.pair(text, pair), TRUNCATED_64), true);
      }
    }
  }

  @Test
  void encodesTheSameOnManyThreads() throws Exception {
    List<String> lines = corpus(Fixtures.shared());
    ComposedTokenizer tokenizer = Fixtures.minilm();
    List<Encoding> sequential = new ArrayList<>();
    for (String line : lines) {
      sequential.add(tokenizer.encode(TextInput.of(line), TRUNCATED_64));
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Encoding>> parallel = new ArrayList<>();
      for (String line : lines) {
        parallel.add(pool.submit(() -> tokenizer.encode(TextInput.of(line), TRUNCATED_64)));
      }
      for (int i = 0; i < lines.size(); i++) {
        assertEquals(sequential.get(i), parallel.get(i).get(), lines.get(i));
      }
    } finally {
      pool.shutdown();
    }
  }
}
