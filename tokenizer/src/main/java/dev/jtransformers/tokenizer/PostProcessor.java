package dev.jtransformers.tokenizer;

/**
 * The fourth stage: adds the model's special tokens and type ids around the encoded sequences, like a
 * {@code post_processor} of Hugging Face {@code tokenizers}. Chosen by the {@code "type"} of the
 * {@code "post_processor"} section through a {@link ComponentFactory}.
 *
 * <p>Implementations are immutable and thread-safe.
 */
public interface PostProcessor {
  /** How many special tokens {@link #process} adds to one sequence or a pair; truncation leaves room for them. */
  int addedTokens(boolean pair);

  /**
   * Joins the sequences into one, adding special tokens if asked; overflowing windows are combined as Hugging Face
   * does ({@link TokenSequence#merge}).
   *
   * @param second the second sequence of a pair, or {@code null}
   */
  TokenSequence process(TokenSequence first, TokenSequence second, boolean addSpecialTokens);

  /** What Hugging Face does without a post-processor: the sequences one after the other. */
  PostProcessor NONE =
      new PostProcessor() {
        @Override
        public int addedTokens(boolean pair) {
          return 0;
        }

        @Override
        public TokenSequence process(TokenSequence first, TokenSequence second, boolean addSpecialTokens) {
          return second == null ? first : first.merge(second);
        }
      };
}
