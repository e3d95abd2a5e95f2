/**
 * The generic normalizers of Hugging Face {@code tokenizers}: {@code BertNormalizer}, {@code Lowercase} and
 * {@code Sequence}, each with the {@link dev.jtransformers.tokenizer.ComponentFactory} that reads its section of
 * {@code tokenizer.json}.
 */
package dev.jtransformers.tokenizer.normalizers;
