package dev.jtransformers.hub;

import java.io.PrintStream;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * A progress bar on standard error for one download, as huggingface_hub's tqdm bars: only for files of at least
 * {@value #MIN_SIZE} bytes, redrawn at most a few times a second, finished with a line break.
 */
final class DownloadProgress {
  /** Smaller files download too fast for a bar to help. */
  static final long MIN_SIZE = 10L << 20;

  private static final long REDRAW_NANOS = 250_000_000L;
  private static final int WIDTH = 30;

  private final String name;
  private final long total;
  private final PrintStream out;
  private long done;
  private long lastDrawn;

  private DownloadProgress(String name, long total, PrintStream out) {
    this.name = name;
    this.total = total;
    this.out = out;
  }

  /** A bar for {@code name} when the settings want bars and the file is large enough; else one that shows nothing. */
  static DownloadProgress forFile(String name, OptionalLong size, boolean bars) {
    boolean show = bars && size.isPresent() && size.getAsLong() >= MIN_SIZE;
    return new DownloadProgress(name, size.orElse(-1), show ? System.err : null);
  }

  /** The download starts from the beginning (again). */
  void restart() {
    done = 0;
  }

  void advance(long bytes) {
    done += bytes;
    long now = System.nanoTime();
    if (out != null && now - lastDrawn >= REDRAW_NANOS) {
      lastDrawn = now;
      draw('\r');
    }
  }

  void finish() {
    if (out != null) {
      draw('\r');
      out.println();
    }
  }

  private void draw(char start) {
    int filled = (int) (WIDTH * done / total);
    out.print(String.format(Locale.ROOT, "%c%s %3d%% |%s%s| %.1f/%.1f MB", start, name, 100 * done / total,
        "#".repeat(filled), " ".repeat(WIDTH - filled), done / 1e6, total / 1e6));
    out.flush();
  }
}
