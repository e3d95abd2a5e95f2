package dev.jtransformers.pipelines.tasks;

import dev.jtransformers.api.Encoding;
import dev.jtransformers.api.Tensor;
import dev.jtransformers.pipelines.spi.Chunk;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * One window of a question-answering input after the model ran: which of its tokens may start or end an answer,
 * and the probabilities Python's {@code select_starts_ends} gives them. Tokens outside the context (the question,
 * special tokens) get logit -10000 before the softmax, as there; padding, which Python's unpadded windows don't have,
 * takes no part.
 */
final class AnswerWindow {
  /** What Python puts in place of the logits of tokens that can't be part of an answer. */
  private static final double MASKED_LOGIT = -10_000;

  private final Encoding encoding;
  private final boolean[] inContext;
  private final boolean[] candidate;
  private final double[] startProbabilities;
  private final double[] endProbabilities;
  private final double nullScore;

  /**
   * @param questionTokens how many tokens the question has: a window's first text tokens are the question's
   * @param clsTokenId the tokenizer's {@code cls_token}, a candidate wherever it is (some models point at it when the
   *     context has no answer)
   */
  AnswerWindow(Chunk chunk, int questionTokens, OptionalInt clsTokenId) {
    this.encoding = chunk.encoding();
    int n = encoding.length();
    int[] special = encoding.specialTokensMask();
    int[] attention = encoding.attentionMask();
    inContext = new boolean[n];
    candidate = new boolean[n];
    int textTokens = 0;
    for (int i = 0; i < n; i++) {
      inContext[i] = special[i] == 0 && attention[i] == 1 && textTokens++ >= questionTokens;
      boolean cls = attention[i] == 1 && clsTokenId.isPresent() && encoding.id(i) == clsTokenId.getAsInt();
      candidate[i] = inContext[i] || cls;
    }
    Tensor logits = chunk.output(); // [sequence, 2]: start, end
    startProbabilities = softmax(logits, 0, attention);
    endProbabilities = softmax(logits, 1, attention);
    nullScore = startProbabilities[0] * endProbabilities[0];
    // The first token never starts or ends an answer: it stands for "no answer" (nullScore).
    startProbabilities[0] = 0;
    endProbabilities[0] = 0;
  }

  private double[] softmax(Tensor logits, int column, int[] attention) {
    double[] p = new double[attention.length];
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < p.length; i++) {
      if (attention[i] == 1) {
        p[i] = candidate[i] ? logits.get(i, column) : MASKED_LOGIT;
        max = Math.max(max, p[i]);
      }
    }
    double sum = 0;
    for (int i = 0; i < p.length; i++) {
      p[i] = attention[i] == 1 ? Math.exp(p[i] - max) : 0;
      sum += p[i];
    }
    for (int i = 0; i < p.length; i++) {
      p[i] /= sum;
    }
    return p;
  }

  /** The window's score of the impossible answer: the first token's start times end probability. */
  double nullScore() {
    return nullScore;
  }

  /**
   * The best spans of candidate tokens, at most {@code maxAnswerLen} tokens long, best first (equal scores in token
   * order, as Python's argmax). Spans of probability 0 are left out.
   */
  List<Span> best(int topK, int maxAnswerLen) {
    List<Span> best = new ArrayList<>(topK + 1);
    for (int s = 0; s < candidate.length; s++) {
      if (!candidate[s] || startProbabilities[s] == 0) {
        continue;
      }
      for (int e = s; e < Math.min(candidate.length, s + maxAnswerLen); e++) {
        double score = startProbabilities[s] * endProbabilities[e];
        if (!candidate[e] || score == 0 || best.size() == topK && score <= best.get(topK - 1).score()) {
          continue;
        }
        int at = best.size();
        while (at > 0 && best.get(at - 1).score() < score) {
          at--;
        }
        best.add(at, new Span(s, e, score));
        if (best.size() > topK) {
          best.remove(topK);
        }
      }
    }
    return best;
  }

  /**
   * A span's characters in the context, UTF-16 {@code [from, to)}: from the start of its first token to the end of
   * its last, widened to the context words those tokens belong to when asked (Python's {@code align_to_words}).
   */
  int[] characters(Span span, boolean alignToWords) {
    int[][] offsets = encoding.offsets();
    int[] words = encoding.wordIds();
    int startWord = words[span.start()];
    int endWord = words[span.end()];
    if (!alignToWords || !inContext[span.start()] || !inContext[span.end()]) {
      return new int[] {offsets[span.start()][0], offsets[span.end()][1]};
    }
    int from = offsets[span.start()][0];
    int to = offsets[span.end()][1];
    for (int i = 0; i < words.length; i++) {
      if (inContext[i] && words[i] == startWord) {
        from = Math.min(from, offsets[i][0]);
      }
      if (inContext[i] && words[i] == endWord) {
        to = Math.max(to, offsets[i][1]);
      }
    }
    return new int[] {from, to};
  }

  /** Tokens {@code start} to {@code end} (inclusive) of the window, with their probability. */
  record Span(int start, int end, double score) {}
}
