package dev.jtransformers.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Splits a byte stream into UTF-8 lines ({@code \n} or {@code \r\n}), decoding each on its own so that one invalid
 * line is reported as such instead of failing the stream or being replaced silently. A UTF-8 byte-order mark at the
 * start is skipped. Not thread-safe.
 */
final class Utf8Lines {
  private final InputStream in;
  private final byte[] buffer = new byte[1 << 16];
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  private final CharsetDecoder decoder =
      StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);
  private int position;
  private int limit;
  private boolean first = true;

  Utf8Lines(InputStream in) {
    this.in = in;
  }

  /**
   * The next line without its terminator, or {@code null} at the end of the stream.
   *
   * @throws CharacterCodingException if the line is not valid UTF-8; the line is skipped, and the next call reads the
   *     one after it
   */
  String next() throws IOException {
    line.reset();
    while (true) {
      if (position == limit) {
        limit = in.read(buffer);
        position = 0;
        if (limit <= 0) {
          limit = 0;
          return line.size() == 0 ? null : decode();
        }
      }
      for (int i = position; i < limit; i++) {
        if (buffer[i] == '\n') {
          line.write(buffer, position, i - position);
          position = i + 1;
          return decode();
        }
      }
      line.write(buffer, position, limit - position);
      position = limit;
    }
  }

  private String decode() throws CharacterCodingException {
    byte[] bytes = line.toByteArray();
    int start = 0;
    int end = bytes.length;
    if (first && end >= 3 && (bytes[0] & 0xff) == 0xef && (bytes[1] & 0xff) == 0xbb && (bytes[2] & 0xff) == 0xbf) {
      start = 3;
    }
    first = false;
    if (end > start && bytes[end - 1] == '\r') {
      end--;
    }
    return decoder.decode(ByteBuffer.wrap(bytes, start, end - start)).toString();
  }
}
