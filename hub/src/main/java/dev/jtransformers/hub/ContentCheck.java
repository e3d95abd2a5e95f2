package dev.jtransformers.hub;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Whether downloaded content is what its ETag names. The hub's ETags are content hashes: the SHA-256 of an LFS file
 * (64 hex digits), or the git object id of a small file (40 hex digits: SHA-1 of {@code "blob <size>\0"} and the
 * content). Any other ETag (a mirror's own) can't be checked.
 */
final class ContentCheck {
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern GIT_SHA1 = Pattern.compile("[0-9a-f]{40}");

  private ContentCheck() {}

  /**
   * @throws HubException naming the file, the expected and the actual hash, if they differ
   */
  static void verify(Path file, String etag, String what) throws IOException {
    MessageDigest digest;
    if (SHA256.matcher(etag).matches()) {
      digest = digest("SHA-256");
    } else if (GIT_SHA1.matcher(etag).matches()) {
      digest = digest("SHA-1");
      digest.update(("blob " + Files.size(file) + "\0").getBytes(StandardCharsets.US_ASCII));
    } else {
      return;
    }
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[1 << 16];
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        digest.update(buffer, 0, n);
      }
    }
    String actual = HexFormat.of().formatHex(digest.digest());
    if (!actual.equals(etag)) {
      throw new HubException(what + " is corrupt: its " + digest.getAlgorithm() + " is " + actual
          + " but the hub's ETag says " + etag);
    }
  }

  private static MessageDigest digest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has " + algorithm, e);
    }
  }
}
