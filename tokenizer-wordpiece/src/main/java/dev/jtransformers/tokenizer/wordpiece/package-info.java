/**
 * The WordPiece model and decoder of BERT-family tokenizers, with the exact behaviour of Hugging Face
 * {@code tokenizers}: {@code "type": "WordPiece"} in the {@code model} and {@code decoder} sections of
 * {@code tokenizer.json}. They plug into {@link dev.jtransformers.tokenizer.Tokenizers} through their
 * {@link dev.jtransformers.tokenizer.ComponentFactory}; the rest of a BERT tokenizer (BertNormalizer,
 * BertPreTokenizer, TemplateProcessing, truncation and padding) is the generic core's.
 */
package dev.jtransformers.tokenizer.wordpiece;
