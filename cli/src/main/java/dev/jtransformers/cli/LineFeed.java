package dev.jtransformers.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Input lines as they arrive, in batches: a reader thread parses each line as soon as it is read, and {@link #next}
 * hands out what is there — up to a batch, waiting only briefly for more once one line is in — so a slow producer
 * gets each answer as soon as its line is in, and a file is still run in large batches.
 *
 * <p>Lines are UTF-8: a byte-order mark before the first is skipped, and a line that is not valid UTF-8 becomes that
 * line's error rather than being repaired silently.
 *
 * @param <T> what a line is read into
 */
final class LineFeed<T> implements AutoCloseable {
  /** How long to wait for more lines once one is in before running what there is. */
  private static final long LINGER_MILLIS = 20;

  /** A read line, the end of input, or the failure to read. */
  private record Item<T>(JsonLines.Line<T> line, IOException failure) {}

  private final BlockingQueue<Item<T>> queue = new LinkedBlockingQueue<>(4096);
  private final Thread reader;
  private boolean ended;

  LineFeed(InputStream in, Function<JsonNode, T> values) {
    reader = new Thread(() -> read(in, values), "jtransformers-input");
    reader.setDaemon(true); // a closed output ends the run without waiting for input
    reader.start();
  }

  private void read(InputStream in, Function<JsonNode, T> values) {
    try (in) {
      Utf8Lines lines = new Utf8Lines(in);
      for (int number = 1; ; number++) {
        JsonLines.Line<T> line;
        try {
          String text = lines.next();
          if (text == null) {
            break;
          }
          line = JsonLines.parse(number, text, values);
        } catch (CharacterCodingException e) {
          line = new JsonLines.Line<>(number, null, "not valid UTF-8");
        } catch (Utf8Lines.LineTooLongException e) {
          line = new JsonLines.Line<>(number, null, e.getMessage());
        }
        queue.put(new Item<>(line, null));
      }
      queue.put(new Item<>(null, null));
    } catch (IOException e) {
      putQuietly(new Item<>(null, e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void putQuietly(Item<T> item) {
    try {
      queue.put(item);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The next lines, at most {@code max}, in input order; empty at the end of input.
   *
   * @throws UncheckedIOException if the input can't be read
   */
  List<JsonLines.Line<T>> next(int max) throws InterruptedException {
    List<JsonLines.Line<T>> lines = new ArrayList<>();
    if (ended) {
      return lines;
    }
    Item<T> item = queue.take();
    while (item != null && accept(item, lines) && lines.size() < max) {
      item = queue.poll(LINGER_MILLIS, TimeUnit.MILLISECONDS);
    }
    return lines;
  }

  /** Adds a line; false at the end of input. */
  private boolean accept(Item<T> item, List<JsonLines.Line<T>> lines) {
    if (item.failure() != null) {
      throw new UncheckedIOException("cannot read the input: " + item.failure().getMessage(), item.failure());
    }
    if (item.line() == null) {
      ended = true;
      return false;
    }
    lines.add(item.line());
    return true;
  }

  @Override
  public void close() {
    reader.interrupt();
  }
}
