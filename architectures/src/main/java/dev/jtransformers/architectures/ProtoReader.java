package dev.jtransformers.architectures;

import dev.jtransformers.api.ModelLoadException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Reads one protocol-buffer message from a buffer, field by field: the wire format only, no schema. Enough for the
 * few ONNX fields {@link OnnxWeights} needs; every other field is skipped by its wire type. A malformed message is a
 * {@link ModelLoadException} naming the file.
 */
final class ProtoReader {
  static final int VARINT = 0;
  static final int FIXED64 = 1;
  static final int LENGTH_DELIMITED = 2;
  static final int FIXED32 = 5;

  private final ByteBuffer buffer;
  private final Path file;
  private int tag;

  /** Reads the message between the buffer's position and limit. */
  ProtoReader(ByteBuffer buffer, Path file) {
    this.buffer = buffer.slice().order(ByteOrder.LITTLE_ENDIAN);
    this.file = file;
  }

  /** Whether bytes remain: for reading a packed array's values with {@link #varint()}. */
  boolean hasMore() {
    return buffer.hasRemaining();
  }

  /** Moves to the next field; false at the end of the message. */
  boolean next() {
    if (!buffer.hasRemaining()) {
      return false;
    }
    long key = varint();
    if (key >>> 3 == 0 || key > Integer.MAX_VALUE) {
      throw malformed("field key " + key);
    }
    tag = (int) key;
    return true;
  }

  /** The current field's number. */
  int field() {
    return tag >>> 3;
  }

  /** The current field's wire type. */
  int wireType() {
    return tag & 7;
  }

  /** The current field's value as a varint. */
  long varint() {
    long value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      byte b = get();
      value |= (long) (b & 0x7f) << shift;
      if (b >= 0) {
        return value;
      }
    }
    throw malformed("varint longer than 10 bytes");
  }

  /** The current field's bytes (a string, a nested message, a packed array), as a little-endian view. */
  ByteBuffer bytes() {
    long length = varint();
    if (length < 0 || length > buffer.remaining()) {
      throw malformed("field " + field() + " of " + length + " bytes, with " + buffer.remaining() + " left");
    }
    ByteBuffer value = buffer.slice().limit((int) length).order(ByteOrder.LITTLE_ENDIAN);
    buffer.position(buffer.position() + (int) length);
    return value;
  }

  /** The current field's value as a UTF-8 string. */
  String string() {
    return StandardCharsets.UTF_8.decode(bytes()).toString();
  }

  /** The current field's value as a 32-bit float ({@value #FIXED32} wire type). */
  float fixed32Float() {
    require(4);
    return buffer.getFloat();
  }

  /** The current field's value as a nested message. */
  ProtoReader message() {
    return new ProtoReader(bytes(), file);
  }

  /** Skips the current field's value. */
  void skip() {
    switch (wireType()) {
      case VARINT -> varint();
      case FIXED64 -> advance(8);
      case LENGTH_DELIMITED -> bytes();
      case FIXED32 -> advance(4);
      default -> throw malformed("wire type " + wireType() + " of field " + field());
    }
  }

  /** A load error naming the file: the message is not what a protocol buffer can be. */
  ModelLoadException malformed(String what) {
    return new ModelLoadException(file + ": not a valid ONNX file (malformed protocol buffer: " + what + ")");
  }

  private byte get() {
    require(1);
    return buffer.get();
  }

  private void advance(int bytes) {
    require(bytes);
    buffer.position(buffer.position() + bytes);
  }

  private void require(int bytes) {
    if (buffer.remaining() < bytes) {
      throw malformed("message ends inside field " + field());
    }
  }
}
