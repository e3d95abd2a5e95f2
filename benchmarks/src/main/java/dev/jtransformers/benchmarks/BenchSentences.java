package dev.jtransformers.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The sentences the feature-extraction benchmarks run on, built by one rule that {@code
 * benchmarks-py/feature_extraction.py} repeats: the first {@code perSource} ({@value #PER_SOURCE} unless asked) {@code
 * sentence1} values of STS-B dev and as many texts of SST-2 train (trimmed), from {@code ../shared/data}; and long inputs,
 * each {@value #SENTENCES_PER_LONG_TEXT} consecutive sentences of that list joined by spaces (200–256 tokens once
 * truncated). Without the shared folder, a small bundled list (short sentences written for this module) stands in.
 *
 * @param source where the sentences came from, for the report
 * @param sentences the short inputs
 * @param longTexts the long inputs
 */
record BenchSentences(String source, List<String> sentences, List<String> longTexts) {
  static final int PER_SOURCE = 1_000;
  static final int SENTENCES_PER_LONG_TEXT = 20;

  private static final String BUNDLED = "sentences.txt";

  BenchSentences {
    Objects.requireNonNull(source, "source");
    sentences = List.copyOf(sentences);
    longTexts = List.copyOf(longTexts);
  }

  /** From {@code shared/data} when it has STS-B and SST-2, else the bundled list. */
  static BenchSentences load(Path shared) throws IOException {
    return load(shared, PER_SOURCE);
  }

  /** As {@link #load(Path)}, with {@code perSource} sentences of each source. */
  static BenchSentences load(Path shared, int perSource) throws IOException {
    Path sts = shared.resolve("data/stsbenchmark/sts-dev.csv");
    Path sst2 = shared.resolve("data/sst2/train.tsv");
    if (!Files.isRegularFile(sts) || !Files.isRegularFile(sst2)) {
      System.err.println(shared + " has no data/stsbenchmark/sts-dev.csv or data/sst2/train.tsv: running on the "
          + "bundled sentence list, whose numbers are not comparable with the README's");
      return of("bundled " + BUNDLED, bundled());
    }
    List<String> sentences = new ArrayList<>(column(sts, 5, false, perSource));
    sentences.addAll(column(sst2, 0, true, perSource));
    return of(sts + " + " + sst2, sentences);
  }

  private static BenchSentences of(String source, List<String> sentences) {
    List<String> longTexts = new ArrayList<>();
    for (int start = 0; start + SENTENCES_PER_LONG_TEXT <= sentences.size(); start += SENTENCES_PER_LONG_TEXT) {
      longTexts.add(String.join(" ", sentences.subList(start, start + SENTENCES_PER_LONG_TEXT)));
    }
    return new BenchSentences(source, sentences, longTexts);
  }

  /** The first {@code count} values of a tab-separated column, skipping a header line if asked. */
  private static List<String> column(Path file, int column, boolean header, int count) throws IOException {
    List<String> values = new ArrayList<>();
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    for (String line : lines.subList(header ? 1 : 0, lines.size())) {
      String[] columns = line.split("\t");
      if (columns.length > column && !columns[column].isBlank()) {
        values.add(columns[column].trim());
      }
      if (values.size() == count) {
        break;
      }
    }
    return values;
  }

  private static List<String> bundled() {
    try (InputStream in = BenchSentences.class.getResourceAsStream(BUNDLED)) {
      if (in == null) {
        throw new IllegalStateException("resource " + BUNDLED + " is missing from the benchmarks jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(line -> !line.isBlank()).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
