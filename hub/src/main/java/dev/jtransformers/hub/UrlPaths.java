package dev.jtransformers.hub;

import java.nio.charset.StandardCharsets;

/** Percent-encoding of URL path parts as Python's {@code urllib.parse.quote}, which huggingface_hub uses. */
final class UrlPaths {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private UrlPaths() {}

  /** One path segment: everything but letters, digits and {@code _.-~} encoded, {@code /} too (a revision). */
  static String segment(String text) {
    return quote(text, false);
  }

  /** A path of segments: as {@link #segment}, keeping {@code /} (a file name in a repository). */
  static String path(String text) {
    return quote(text, true);
  }

  private static String quote(String text, boolean keepSlash) {
    StringBuilder out = new StringBuilder();
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "_.-~".indexOf(c) >= 0
          || (keepSlash && c == '/')) {
        out.append(c);
      } else {
        out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
      }
    }
    return out.toString();
  }
}
