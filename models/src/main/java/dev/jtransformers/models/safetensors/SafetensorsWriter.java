package dev.jtransformers.models.safetensors;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import dev.jtransformers.api.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Writes float tensors, stored as float32, float16 or bfloat16, as a safetensors file laid out exactly as Python's
 * {@code safetensors} lays it out:
 * compact JSON header with {@code __metadata__} first, tensors in name order (by UTF-8 bytes), the header padded
 * with spaces to a multiple of 8 bytes, then the tensors' little-endian data back to back. Python's {@code
 * safetensors.safe_open} / {@code load_file} read the result.
 */
public final class SafetensorsWriter {
  // Supplementary characters as raw UTF-8, as serde_json writes them, rather than escaped surrogate pairs.
  private static final JsonFactory JSON =
      JsonFactory.builder().enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8).build();
  private static final int ALIGNMENT = 8;
  private static final int CHUNK_FLOATS = 1 << 18;

  private SafetensorsWriter() {}

  /**
   * Writes {@code tensors} and {@code metadata} to {@code file}, replacing it if it exists. The file is written
   * under a temporary name and moved into place, so readers never see half a file.
   *
   * @param tensors the tensors by name; none may be called {@code __metadata__}
   * @param metadata free-form strings stored in the header's {@code __metadata__} (omitted when empty)
   * @throws IllegalArgumentException if a tensor is called {@code __metadata__}
   * @throws UncheckedIOException naming the file, if it can't be written
   */
  public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) {
    write(file, tensors, metadata, Dtype.F32);
  }

  /**
   * Writes {@code tensors} as {@link #write(Path, Map, Map)} does, each stored as {@code dtype} (rounded to
   * nearest even where it is narrower than float32).
   *
   * @param dtype {@link Dtype#F32}, {@link Dtype#F16} or {@link Dtype#BF16}
   * @throws IllegalArgumentException if a tensor is called {@code __metadata__}, or {@code dtype} is not {@linkplain
   *     Dtype#isWritableFromFloat() writable from float}
   * @throws UncheckedIOException naming the file, if it can't be written
   */
  public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata, Dtype dtype) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(tensors, "tensors");
    Objects.requireNonNull(metadata, "metadata");
    Objects.requireNonNull(dtype, "dtype");
    if (tensors.containsKey(SafetensorsHeader.METADATA_KEY)) {
      throw new IllegalArgumentException("a tensor can't be called " + SafetensorsHeader.METADATA_KEY);
    }
    if (!dtype.isWritableFromFloat()) {
      throw new IllegalArgumentException(
          "can't store float tensors as " + dtype + "; use one of " + Dtype.writableFromFloatTypes());
    }
    List<String> names = new ArrayList<>(tensors.keySet());
    names.sort(Comparator.comparing((String name) -> name.getBytes(StandardCharsets.UTF_8), Arrays::compareUnsigned));
    Path directory = file.toAbsolutePath().getParent();
    Path temporary = null;
    try {
      // Not Files.createTempFile: its owner-only permissions would stick to the final file.
      temporary = directory.resolve(file.getFileName() + "." + UUID.randomUUID() + ".tmp");
      try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        byte[] header = header(names, tensors, metadata, dtype);
        ByteBuffer headerLength = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        writeFully(channel, headerLength.putLong(header.length).flip());
        writeFully(channel, ByteBuffer.wrap(header));
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK_FLOATS * dtype.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
        for (String name : names) {
          float[] values = tensors.get(name).toFloatArray();
          for (int done = 0; done < values.length; done += CHUNK_FLOATS) {
            int count = Math.min(CHUNK_FLOATS, values.length - done);
            dtype.encode(values, done, count, chunk.clear());
            writeFully(channel, chunk.flip());
          }
        }
      }
      Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      UncheckedIOException failure = new UncheckedIOException("cannot write safetensors file " + file, e);
      deleteAfterFailure(temporary, failure);
      throw failure;
    } catch (RuntimeException e) {
      deleteAfterFailure(temporary, e);
      throw e;
    }
  }

  /** The JSON header, padded with spaces to a multiple of {@value #ALIGNMENT} bytes. */
  private static byte[] header(
      List<String> names, Map<String, Tensor> tensors, Map<String, String> metadata, Dtype dtype) throws IOException {
    ByteArrayOutputStream json = new ByteArrayOutputStream();
    try (JsonGenerator out = JSON.createGenerator(json, JsonEncoding.UTF8)) {
      out.writeStartObject();
      if (!metadata.isEmpty()) {
        out.writeObjectFieldStart(SafetensorsHeader.METADATA_KEY);
        for (Map.Entry<String, String> entry : new TreeMap<>(metadata).entrySet()) {
          out.writeStringField(entry.getKey(), Objects.requireNonNull(entry.getValue(), entry.getKey()));
        }
        out.writeEndObject();
      }
      long offset = 0;
      for (String name : names) {
        Tensor tensor = Objects.requireNonNull(tensors.get(name), name);
        long end = offset + (long) tensor.size() * dtype.byteSize();
        out.writeObjectFieldStart(name);
        out.writeStringField("dtype", dtype.name());
        out.writeArrayFieldStart("shape");
        for (int dimension : tensor.shape()) {
          out.writeNumber(dimension);
        }
        out.writeEndArray();
        out.writeArrayFieldStart("data_offsets");
        out.writeNumber(offset);
        out.writeNumber(end);
        out.writeEndArray();
        out.writeEndObject();
        offset = end;
      }
      out.writeEndObject();
    }
    int padding = (ALIGNMENT - json.size() % ALIGNMENT) % ALIGNMENT;
    for (int i = 0; i < padding; i++) {
      json.write(' ');
    }
    return json.toByteArray();
  }

  private static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  }

  private static void deleteAfterFailure(Path temporary, Exception failure) {
    if (temporary == null) {
      return;
    }
    try {
      Files.deleteIfExists(temporary);
    } catch (IOException e) {
      failure.addSuppressed(e);
    }
  }
}
