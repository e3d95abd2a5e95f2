package dev.jtransformers.examples;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's "Use it from Java" snippets are lifted from the consumer project, which {@code .ci/run} compiles and
 * runs against the installed artifacts: each snippet's code must still stand, line for line, in its sources.
 */
class ReadmeSnippetsTest {
  private static final Path ROOT = Path.of("..");
  private static final Pattern JAVA_BLOCK = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL);

  @Test
  void everyJavaSnippetOfTheLibrarySectionIsCompiledCode() throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"));
    int start = readme.indexOf("## Use it from Java");
    String section = readme.substring(start, readme.indexOf("\n## ", start + 1));
    List<String> source =
        code(Files.readString(ROOT.resolve("examples/consumer/src/main/java/com/example/Sentiment.java")));
    Matcher blocks = JAVA_BLOCK.matcher(section);
    int checked = 0;
    while (blocks.find()) {
      List<String> snippet = code(blocks.group(1));
      assertFalse(snippet.isEmpty(), "an empty snippet");
      assertTrue(Collections.indexOfSubList(source, snippet) >= 0,
          "README snippet not found, line for line, in examples/consumer's Sentiment.java:\n" + blocks.group(1));
      checked++;
    }
    assertTrue(checked >= 4, "the section's snippets were found: " + checked);
  }

  /** The lines that are code, trimmed: comment-only and blank lines are left out (the README adds comments). */
  private static List<String> code(String text) {
    List<String> lines = new ArrayList<>();
    for (String line : text.split("\n")) {
      String trimmed = line.strip();
      if (!trimmed.isEmpty() && !trimmed.startsWith("//")) {
        lines.add(trimmed);
      }
    }
    return lines;
  }
}
