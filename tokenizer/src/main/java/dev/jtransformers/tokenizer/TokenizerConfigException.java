package dev.jtransformers.tokenizer;

import dev.jtransformers.api.TokenizerException;

/**
 * A section of a tokenizer's files is malformed: a missing or mistyped option, or values a component rejects. The
 * message names the file and the section, e.g. {@code tokenizer.json (normalizer.normalizers[1])}.
 */
public class TokenizerConfigException extends TokenizerException {
  private static final long serialVersionUID = 1L;

  TokenizerConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
