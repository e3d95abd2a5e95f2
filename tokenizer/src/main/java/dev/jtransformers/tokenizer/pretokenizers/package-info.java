/**
 * The generic pre-tokenizers of Hugging Face {@code tokenizers}: {@code BertPreTokenizer}, {@code WhitespaceSplit}
 * and {@code Sequence}, each with the {@link dev.jtransformers.tokenizer.ComponentFactory} that reads its section
 * of {@code tokenizer.json}.
 */
package dev.jtransformers.tokenizer.pretokenizers;
