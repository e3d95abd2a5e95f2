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
 * start is skipped. A line longer than {@value #MAX_LINE_BYTES} bytes is skipped and reported, so one runaway line
 * can't exhaust the heap. Not thread-safe.
 */
final class Utf8Lines {
  /** The longest line kept: far beyond any text a model reads (they are truncated to a few hundred tokens). */
  static final int MAX_LINE_BYTES = 64 << 20;

  /** A line longer than {@link #MAX_LINE_BYTES}; it has been skipped, and the next call reads the one after it. */
  static final class LineTooLongException extends IOException {
    private static final long serialVersionUID = 1L;

    LineTooLongException() {
      super("longer than " + (MAX_LINE_BYTES >> 20) + " MiB: shorten or split it");
    }
  }

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
   * @throws LineTooLongException if the line is longer than {@value #MAX_LINE_BYTES} bytes; likewise skipped
   */
  String next() throws IOException {
    line.reset();
    boolean tooLong = false;
    while (true) {
      if (position == limit) {
        limit = in.read(buffer);
        position = 0;
        if (limit <= 0) {
          limit = 0;
          return end(tooLong, line.size() == 0 && !tooLong);
        }
      }
      for (int i = position; i < limit; i++) {
        if (buffer[i] == '\n') {
          tooLong = keep(i - position, tooLong);
          position = i + 1;
          return end(tooLong, false);
        }
      }
      tooLong = keep(limit - position, tooLong);
      position = limit;
    }
  }

  /** Keeps {@code count} more bytes of the line from the buffer, unless it has grown too long; whether it has. */
  private boolean keep(int count, boolean tooLong) {
    if (tooLong || line.size() + (long) count > MAX_LINE_BYTES) {
      line.reset();
      first = false;
      return true;
    }
    line.write(buffer, position, count);
    return false;
  }

  private String end(boolean tooLong, boolean endOfStream) throws IOException {
    if (tooLong) {
      throw new LineTooLongException();
    }
    return endOfStream ? null : decode();
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
