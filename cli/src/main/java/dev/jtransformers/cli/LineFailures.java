package dev.jtransformers.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.Optional;

/** Counts the lines of a run and the ones that failed, for its summary and exit status. */
final class LineFailures {
  private long lines;
  private long failed;
  private String first;

  /**
   * Counts one output line.
   *
   * @return whether it is a failed line's {@code {"error", "line"}}
   */
  boolean record(JsonNode result) {
    lines++;
    boolean error = result.isObject() && result.has("error") && result.has("line") && result.size() == 2;
    if (error) {
      failed++;
      if (first == null) {
        first = "line " + result.get("line").asLong() + ": " + result.get("error").asText();
      }
    }
    return error;
  }

  boolean none() {
    return failed == 0;
  }

  /** The first failure, e.g. {@code line 17: "text" must be a string}. */
  String first() {
    return first;
  }

  /** E.g. {@code 3 of 1,000 lines failed; first at line 17: …}; empty when none failed. */
  Optional<String> summary() {
    if (failed == 0) {
      return Optional.empty();
    }
    return Optional.of(String.format(Locale.ROOT, "%,d of %,d lines failed; first at %s", failed, lines, first));
  }
}
