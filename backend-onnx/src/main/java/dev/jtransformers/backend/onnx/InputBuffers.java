package dev.jtransformers.backend.onnx;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * Direct buffers for a model's input tensors, kept from call to call: a batch's inputs are written into one buffer
 * that ONNX Runtime reads in place, and the buffer comes back when the call's tensors are closed. Allocating a direct
 * buffer zeroes it and counts against the JVM's direct-memory limit, whose release waits for the garbage collector;
 * reuse spares both. Holds a few buffers, one per concurrent caller, and grows them as batches widen. Thread-safe.
 */
final class InputBuffers {
  /** At most this many buffers wait for reuse; more concurrent callers allocate and drop their own. */
  private static final int KEPT = 4;

  private final ConcurrentLinkedDeque<ByteBuffer> free = new ConcurrentLinkedDeque<>();

  /** A direct buffer of at least {@code bytes} bytes, cleared, for one call's exclusive use. */
  ByteBuffer take(int bytes) {
    ByteBuffer buffer = free.pollFirst();
    if (buffer == null || buffer.capacity() < bytes) {
      // A wider batch than before: grow by half again, so a few more widenings don't each allocate.
      int capacity = buffer == null ? bytes : Math.max(bytes, buffer.capacity() + buffer.capacity() / 2);
      return ByteBuffer.allocateDirect(capacity);
    }
    return buffer.clear();
  }

  /** Returns a buffer from {@link #take} once nothing reads it any more. */
  void give(ByteBuffer buffer) {
    if (free.size() < KEPT) {
      free.offerFirst(buffer);
    }
  }
}
