package dev.jtransformers.pipelines.tasks;

import java.util.Objects;

/**
 * One candidate for a masked token, as a dict of Python's {@code FillMaskPipeline}.
 *
 * @param score its probability at the mask (over the whole vocabulary, also when {@code targets} restrict the
 *     candidates)
 * @param token its vocabulary id
 * @param tokenStr the token decoded alone ({@code token_str})
 * @param sequence the input decoded with this token in place of the mask (special tokens left out when the input
 *     has a single mask)
 */
public record MaskPrediction(double score, int token, String tokenStr, String sequence) {

  public MaskPrediction {
    Objects.requireNonNull(tokenStr, "tokenStr");
    Objects.requireNonNull(sequence, "sequence");
  }
}
