/**
 * The generic post-processors of Hugging Face {@code tokenizers}: {@code TemplateProcessing} and
 * {@code BertProcessing}, each with the {@link dev.jtransformers.tokenizer.ComponentFactory} that reads its
 * section of {@code tokenizer.json}.
 */
package dev.jtransformers.tokenizer.processors;
