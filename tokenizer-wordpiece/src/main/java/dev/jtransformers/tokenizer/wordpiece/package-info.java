/**
 * A BERT-family WordPiece tokenizer with the exact behaviour of Hugging Face {@code tokenizers}.
 *
 * <p>{@link dev.jtransformers.tokenizer.wordpiece.WordPieceTokenizer} is the entry point. Inside, one small
 * package-private type per pipeline stage mirrors a section of {@code tokenizer.json}, chosen by its
 * {@code "type"}: {@code Normalizer} (BertNormalizer, Lowercase, Sequence), {@code PreTokenizer}
 * (BertPreTokenizer, WhitespaceSplit, Sequence), {@code WordPieceModel}, {@code AddedVocabulary},
 * {@code PostProcessor} (TemplateProcessing, BertProcessing) and {@code Decoder} (WordPiece). Text travels as
 * {@code NormalizedText}, code points aligned to the input, so offsets survive every stage. Character classes
 * and case/decomposition mappings come from tables generated from the Rust tokenizer itself.
 */
package dev.jtransformers.tokenizer.wordpiece;
