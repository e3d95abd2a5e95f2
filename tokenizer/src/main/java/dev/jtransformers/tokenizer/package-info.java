/**
 * Hugging Face {@code tokenizers}' pipeline on the JVM, id for id: {@link dev.jtransformers.tokenizer.Tokenizers}
 * loads a {@link dev.jtransformers.tokenizer.ComposedTokenizer} from a {@code tokenizer.json} (or BERT's older
 * {@code vocab.txt} layout).
 *
 * <p>One small interface per stage, each a section of {@code tokenizer.json}:
 * {@link dev.jtransformers.tokenizer.Normalizer}, {@link dev.jtransformers.tokenizer.PreTokenizer},
 * {@link dev.jtransformers.tokenizer.TokenizerModel}, {@link dev.jtransformers.tokenizer.PostProcessor} and
 * {@link dev.jtransformers.tokenizer.Decoder}. They exchange {@link dev.jtransformers.tokenizer.NormalizedText}
 * (code points aligned to the input, so offsets survive every stage), {@link dev.jtransformers.tokenizer.Splits}
 * (pre-token ranges) and {@link dev.jtransformers.tokenizer.TokenSequence} (tokens with ids, offsets and word
 * indices). Truncation, overflow windows and padding are the tokenizer's, written once for every model.
 *
 * <p>Components plug in through {@link dev.jtransformers.tokenizer.ComponentFactory}, found by
 * {@code ServiceLoader} and picked by the {@code "type"} names of {@code tokenizer.json}
 * ({@link dev.jtransformers.tokenizer.TokenizerComponents}); the generic ones live in the {@code normalizers},
 * {@code pretokenizers} and {@code processors} sub-packages, models such as WordPiece in their own modules.
 */
package dev.jtransformers.tokenizer;
