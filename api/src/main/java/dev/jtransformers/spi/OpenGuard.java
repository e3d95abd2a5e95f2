package dev.jtransformers.spi;

import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * Lets any number of threads use a native resource at once while it is open, and frees it exactly once, never under
 * a running call: calls share a read lock, closing takes the write lock, so a close waits for the calls in flight
 * and a call after it fails at once. For a {@link dev.jtransformers.api.Model}'s {@code forward} and {@code close}.
 * Thread-safe.
 */
public final class OpenGuard {
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private final String name;
  private boolean closed;

  /**
   * @param name what is guarded, for the message of a call after closing, e.g. {@code the model /path/model.onnx}
   */
  public OpenGuard(String name) {
    this.name = name;
  }

  /**
   * Runs {@code call} while the resource is open.
   *
   * @throws IllegalStateException naming the resource, if it is closed
   */
  public <T> T whileOpen(Supplier<T> call) {
    lock.readLock().lock();
    try {
      if (closed) {
        throw new IllegalStateException(name + " is closed");
      }
      return call.get();
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Runs {@code release} once, on the first close, after the calls running have returned; later closes do nothing. */
  public void close(Runnable release) {
    lock.writeLock().lock();
    try {
      if (!closed) {
        closed = true;
        release.run();
      }
    } finally {
      lock.writeLock().unlock();
    }
  }
}
