package dev.jtransformers.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Lines of any length and content: each one read, reported or skipped, and the following lines still read. */
class Utf8LinesTest {
  @Test
  void aRunawayLineIsSkippedWithoutHoldingItAndTheNextLinesStillRead() throws IOException {
    byte[] runaway = new byte[Utf8Lines.MAX_LINE_BYTES + 10];
    Arrays.fill(runaway, (byte) 'a');
    InputStream in = new SequenceInputStream(Collections.enumeration(List.of(
        bytes("\"first\"\n"), new ByteArrayInputStream(runaway), bytes("\n\"after\"\r\nlast"))));
    Utf8Lines lines = new Utf8Lines(in);
    assertEquals("\"first\"", lines.next());
    Utf8Lines.LineTooLongException e = assertThrows(Utf8Lines.LineTooLongException.class, lines::next);
    assertEquals("longer than 64 MiB: shorten or split it", e.getMessage());
    assertEquals("\"after\"", lines.next());
    assertEquals("last", lines.next());
    assertNull(lines.next());
  }

  @Test
  void aByteOrderMarkIsSkippedAndInvalidUtf8Reported() throws IOException {
    Utf8Lines lines = new Utf8Lines(new ByteArrayInputStream(
        new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf, 'a', '\n', 'b', (byte) 0xff, '\n', 'c'}));
    assertEquals("a", lines.next());
    assertThrows(CharacterCodingException.class, lines::next);
    assertEquals("c", lines.next());
    assertNull(lines.next());
  }

  private static InputStream bytes(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }
}
