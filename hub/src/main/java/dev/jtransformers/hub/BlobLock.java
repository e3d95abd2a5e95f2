package dev.jtransformers.hub;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Exclusive use of one blob while it is downloaded and linked, across threads and processes: huggingface_hub's
 * {@code .locks/…/{etag}.lock}. The cache stays correct without it (each download writes its own temporary file and
 * renames it into place, as huggingface_hub relies on too, since Python's {@code flock} and the JVM's {@code fcntl}
 * locks don't see each other); the lock only saves downloading one file twice at once.
 */
final class BlobLock implements AutoCloseable {
  /**
   * One lock per lock file for the whole JVM: the operating system's file lock belongs to the process, so threads
   * must take turns before asking for it (a second request from the same JVM would fail, not wait).
   */
  private static final ConcurrentMap<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

  private final ReentrantLock threads;
  private final FileChannel channel;
  private final FileLock processes;

  private BlobLock(ReentrantLock threads, FileChannel channel, FileLock processes) {
    this.threads = threads;
    this.channel = channel;
    this.processes = processes;
  }

  /** Waits until this thread holds the lock of {@code lockFile}, which is created if needed. */
  static BlobLock acquire(Path lockFile) throws IOException {
    ReentrantLock threads = IN_PROCESS.computeIfAbsent(lockFile, path -> new ReentrantLock());
    threads.lock();
    try {
      Files.createDirectories(lockFile.getParent());
      FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      try {
        return new BlobLock(threads, channel, channel.lock());
      } catch (IOException | RuntimeException e) {
        channel.close();
        throw e;
      }
    } catch (IOException | RuntimeException e) {
      threads.unlock();
      throw e;
    }
  }

  @Override
  public void close() throws IOException {
    try (FileChannel ignored = channel) {
      processes.release();
    } finally {
      threads.unlock();
    }
  }
}
