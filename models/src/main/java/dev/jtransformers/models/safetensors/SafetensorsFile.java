package dev.jtransformers.models.safetensors;

import dev.jtransformers.api.ModelLoadException;
import dev.jtransformers.api.Tensor;
import dev.jtransformers.models.safetensors.SafetensorsHeader.Entry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A safetensors file opened for reading: the header is read and validated up front, tensor data is read on
 * demand with positional reads, so files of any size open cheaply and are never unpickled or executed.
 *
 * <p>Layout: an 8-byte little-endian header length {@code N}, {@code N} bytes of UTF-8 JSON mapping tensor names
 * to {@code {"dtype", "shape", "data_offsets"}} (plus an optional {@code "__metadata__"} map of strings), then the
 * data buffer, which the tensors tile exactly. Every malformed file is refused with a {@link ModelLoadException}
 * that names the file and, where there is one, the tensor.
 *
 * <p>Thread-safe. Close it to release the file; reading tensor data after {@link #close()} throws {@link
 * IllegalStateException}, while the header stays available.
 */
public final class SafetensorsFile implements AutoCloseable {
  /** The reference implementation's limit on header size; a longer header means a corrupt or foreign file. */
  static final long MAX_HEADER_BYTES = 100_000_000L;

  private static final int LENGTH_PREFIX_BYTES = Long.BYTES;
  private static final int CHUNK_BYTES = 1 << 20; // a multiple of every dtype's size
  private static final int MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;

  private final Path file;
  private final FileChannel channel;
  private final long dataStart;
  private final SafetensorsHeader header;

  private SafetensorsFile(Path file, FileChannel channel, long dataStart, SafetensorsHeader header) {
    this.file = file;
    this.channel = channel;
    this.dataStart = dataStart;
    this.header = header;
  }

  /**
   * Opens and validates a safetensors file.
   *
   * @throws ModelLoadException if the file is missing, unreadable or malformed (truncated, header too long or not
   *     JSON, unknown dtype, offsets outside the data or overlapping, byte length not matching the shape)
   */
  public static SafetensorsFile open(Path file) {
    Objects.requireNonNull(file, "file");
    FileChannel channel;
    try {
      channel = FileChannel.open(file, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      throw new ModelLoadException(file + ": no such file", e);
    } catch (IOException e) {
      throw new ModelLoadException(file + ": cannot open", e);
    }
    try {
      long size = channel.size();
      if (size < LENGTH_PREFIX_BYTES) {
        throw new ModelLoadException(
            file + ": " + size + " bytes is too short for a safetensors file (8-byte header length expected)");
      }
      ByteBuffer prefix = ByteBuffer.allocate(LENGTH_PREFIX_BYTES).order(ByteOrder.LITTLE_ENDIAN);
      readFully(channel, prefix, 0, file, "the header length");
      long headerLength = prefix.flip().getLong(); // unsigned in the format: negative means huge
      if (headerLength < 0 || headerLength > MAX_HEADER_BYTES) {
        throw new ModelLoadException(
            file
                + ": header length "
                + Long.toUnsignedString(headerLength)
                + " exceeds the limit of "
                + MAX_HEADER_BYTES
                + " bytes (not a safetensors file?)");
      }
      long available = size - LENGTH_PREFIX_BYTES;
      if (headerLength > available) {
        throw new ModelLoadException(
            file + ": header length " + headerLength + " exceeds the " + available
                + " bytes after it (truncated file?)");
      }
      ByteBuffer json = ByteBuffer.allocate((int) headerLength);
      readFully(channel, json, LENGTH_PREFIX_BYTES, file, "the header");
      long dataStart = LENGTH_PREFIX_BYTES + headerLength;
      SafetensorsHeader header = SafetensorsHeader.parse(json.array(), size - dataStart, file);
      return new SafetensorsFile(file, channel, dataStart, header);
    } catch (IOException e) {
      closeAfterFailure(channel, e);
      throw new ModelLoadException(file + ": cannot read", e);
    } catch (RuntimeException e) {
      closeAfterFailure(channel, e);
      throw e;
    }
  }

  /** The file this was opened from. */
  public Path path() {
    return file;
  }

  /** The tensor names, in name order. */
  public Set<String> names() {
    return header.entries().keySet();
  }

  /**
   * The shape of a tensor, outermost dimension first.
   *
   * @throws ModelLoadException if the file has no tensor of that name
   */
  public int[] shape(String name) {
    return entry(name).shape().clone();
  }

  /**
   * The element type of a tensor as stored.
   *
   * @throws ModelLoadException if the file has no tensor of that name
   */
  public Dtype dtype(String name) {
    return entry(name).dtype();
  }

  /** The {@code __metadata__} string map, empty if the file has none. */
  public Map<String, String> metadata() {
    return header.metadata();
  }

  /**
   * Reads a tensor as float32, converting from its stored type.
   *
   * @throws ModelLoadException if the file has no tensor of that name, its dtype is not {@linkplain
   *     Dtype#isReadableAsFloat() readable as float}, it is too large for one array or for the heap, or the read
   *     fails
   * @throws IllegalStateException if this file is closed
   */
  public Tensor getFloat(String name) {
    Entry entry = entry(name);
    Dtype dtype = entry.dtype();
    if (!dtype.isReadableAsFloat()) {
      throw new ModelLoadException(
          file
              + ": tensor '"
              + name
              + "' has dtype "
              + dtype
              + ", which can't be read as float; readable: "
              + Dtype.readableAsFloatTypes());
    }
    if (entry.elementCount() > MAX_ARRAY_LENGTH) {
      throw new ModelLoadException(
          file + ": tensor '" + name + "' has " + entry.elementCount() + " elements, too many for one array");
    }
    // Checked before allocating, so a consistent but huge (perhaps sparse) file is an error, not an OutOfMemoryError.
    long floatBytes = entry.elementCount() * Float.BYTES;
    long heap = Runtime.getRuntime().maxMemory();
    if (floatBytes > heap) {
      throw new ModelLoadException(
          file + ": tensor '" + name + "' " + Arrays.toString(entry.shape()) + " needs " + floatBytes
              + " bytes as float32, more than the JVM's whole heap (" + heap + " bytes, -Xmx)");
    }
    float[] values = new float[(int) entry.elementCount()];
    ByteBuffer chunk =
        ByteBuffer.allocate((int) Math.min(CHUNK_BYTES, entry.byteLength())).order(ByteOrder.LITTLE_ENDIAN);
    int elementsPerChunk = chunk.capacity() / dtype.byteSize();
    long position = dataStart + entry.begin();
    for (int done = 0; done < values.length; ) {
      int count = Math.min(values.length - done, elementsPerChunk);
      chunk.clear().limit(count * dtype.byteSize());
      try {
        readFully(channel, chunk, position, file, "tensor '" + name + "'");
      } catch (ClosedChannelException e) {
        throw new IllegalStateException(file + " is closed", e);
      } catch (IOException e) {
        throw new ModelLoadException(file + ": cannot read tensor '" + name + "'", e);
      }
      dtype.decode(chunk.flip(), values, done, count);
      done += count;
      position += (long) count * dtype.byteSize();
    }
    return Tensor.wrap(values, entry.shape());
  }

  /** Releases the file. Idempotent. */
  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      throw new ModelLoadException(file + ": cannot close", e);
    }
  }

  @Override
  public String toString() {
    return "SafetensorsFile[" + file + ", " + header.entries().size() + " tensors]";
  }

  private Entry entry(String name) {
    Objects.requireNonNull(name, "name");
    Entry entry = header.entries().get(name);
    if (entry == null) {
      throw new ModelLoadException(file + ": no tensor '" + name + "'");
    }
    return entry;
  }

  /** Fills {@code buffer} from {@code position}; reaching the end of the file first is a load error. */
  private static void readFully(FileChannel channel, ByteBuffer buffer, long position, Path file, String what)
      throws IOException {
    long at = position;
    while (buffer.hasRemaining()) {
      int read = channel.read(buffer, at);
      if (read < 0) {
        throw new ModelLoadException(file + ": file ended while reading " + what + " (changed since it was opened?)");
      }
      at += read;
    }
  }

  private static void closeAfterFailure(FileChannel channel, Exception failure) {
    try {
      channel.close();
    } catch (IOException e) {
      failure.addSuppressed(e);
    }
  }
}
