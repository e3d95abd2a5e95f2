package dev.jtransformers.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.jtransformers.api.TextInput;
import dev.jtransformers.pipelines.spi.TextInputJson;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;

/**
 * Any bytes as the CLI's JSON Lines input: one result or error per line, in order, never an exception. (In the
 * fuzz module, in the CLI's package, so it reaches the package-private reader.)
 */
class JsonLinesFuzzTest {
  @FuzzTest(maxDuration = "60s")
  void oneLinePerInputLine(byte[] input) throws IOException {
    Utf8Lines lines = new Utf8Lines(new ByteArrayInputStream(input));
    int count = 0;
    while (true) {
      JsonLines.Line<TextInput> line;
      try {
        String text = lines.next();
        if (text == null) {
          break;
        }
        line = JsonLines.parse(count + 1, text, TextInputJson::read);
      } catch (CharacterCodingException | Utf8Lines.LineTooLongException e) {
        line = new JsonLines.Line<>(count + 1, null, e.toString());
      }
      count++;
      assertEquals(count, line.number());
      assertTrue(line.ok() != (line.error() != null), "a line has a value or an error, not both");
    }
    assertEquals(expectedLines(input), count, "one line out per line in");
  }

  /** Lines end at {@code \n}; a last line without one counts too. */
  private static int expectedLines(byte[] input) {
    int lines = 0;
    for (byte b : input) {
      if (b == '\n') {
        lines++;
      }
    }
    return input.length > 0 && input[input.length - 1] != '\n' ? lines + 1 : lines;
  }
}
