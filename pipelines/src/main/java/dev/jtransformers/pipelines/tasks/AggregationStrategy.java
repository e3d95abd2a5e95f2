package dev.jtransformers.pipelines.tasks;

/**
 * How token-classification fuses the labels of tokens into entities, as Python's {@code aggregation_strategy}.
 * {@link #FIRST}, {@link #AVERAGE} and {@link #MAX} first give every word one label (a word is a token and the
 * {@code ##} pieces after it); all but {@link #NONE} then group adjacent words of one entity type.
 */
public enum AggregationStrategy {
  /** Every token with its own best label, {@code entity} and {@code index}. */
  NONE,
  /** Adjacent tokens grouped: {@code B-X} opens an entity, {@code I-X} continues one of type X. */
  SIMPLE,
  /** A word takes the best label of its first token. */
  FIRST,
  /** A word takes the best label of its tokens' averaged scores. */
  AVERAGE,
  /** A word takes the best label of the token that scores highest. */
  MAX
}
