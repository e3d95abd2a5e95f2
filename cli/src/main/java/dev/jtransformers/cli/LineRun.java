package dev.jtransformers.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.List;
import me.tongfei.progressbar.ProgressBar;

/**
 * The loop the line commands share: lines in as they arrive, a batch at a time; each result written as soon as its
 * batch is done, in input order; failed lines counted for the summary and the exit status. A write failure (a full
 * disk, a closed pipe) ends the run at once.
 */
final class LineRun {
  /** The exit status of a run in which some lines failed (each has its error in place of its result). */
  static final int LINES_FAILED = 3;

  /** Turns a batch of lines into one result per line, in order (a failed line's {@code {"error", "line"}}). */
  @FunctionalInterface
  interface Batch<T> {
    List<JsonNode> process(List<JsonLines.Line<T>> lines);
  }

  private LineRun() {}

  /**
   * @param batchSize the most lines run at once
   * @param progress moved per batch, or {@code null}
   * @return 0 if every line succeeded, else {@value #LINES_FAILED}
   * @throws IOException if the output can't be written
   */
  static <T> int run(LineFeed<T> lines, int batchSize, Batch<T> batch, Writer out, PrintWriter err, boolean failFast,
      ProgressBar progress) throws IOException, InterruptedException {
    LineFailures failures = new LineFailures();
    for (var next = lines.next(batchSize); !next.isEmpty(); next = lines.next(batchSize)) {
      for (JsonNode result : batch.process(next)) {
        out.write(result.toString());
        out.write('\n');
        if (failures.record(result) && failFast) {
          out.flush();
          err.println("error: " + failures.first() + " (--fail-fast)");
          return LINES_FAILED;
        }
      }
      out.flush();
      if (progress != null) {
        progress.stepBy(next.size());
      }
    }
    failures.summary().ifPresent(err::println);
    return failures.none() ? 0 : LINES_FAILED;
  }
}
