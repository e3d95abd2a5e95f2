package dev.jtransformers.pipelines.tasks;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * One result of token-classification: a token with its label ({@link AggregationStrategy#NONE}), or a group of
 * words of one entity type (every other strategy), as a dict of Python's {@code TokenClassificationPipeline}.
 *
 * @param label the token's label ({@code entity}, e.g. {@code B-PER}) or the group's type ({@code entity_group},
 *     e.g. {@code PER})
 * @param score the label's probability; a group's is the mean of its tokens' (or words')
 * @param index the token's position in its window ({@code index}); present only without aggregation
 * @param word the token, or the group's tokens joined by the tokenizer's decoder ({@code ##} pieces glued)
 * @param start where it starts in the input text, in UTF-16 units
 * @param end where it ends in the input text (exclusive), so {@code text.substring(start, end)} is its source
 */
public record Entity(String label, double score, OptionalInt index, String word, int start, int end) {

  public Entity {
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(index, "index");
    Objects.requireNonNull(word, "word");
  }

  /** Whether this is a group of words ({@code entity_group}) rather than a single token ({@code entity}). */
  public boolean isGroup() {
    return index.isEmpty();
  }
}
