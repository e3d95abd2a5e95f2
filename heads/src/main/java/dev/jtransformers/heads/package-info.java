/**
 * Heads: what turns a model's outputs into a task's tensor. Pooled sentence vectors ({@link
 * dev.jtransformers.heads.PoolingHead}), the outputs themselves ({@link dev.jtransformers.heads.OutputHead}),
 * classification logits from dense layers over a pooled vector ({@link dev.jtransformers.heads.ClassificationHead},
 * with Hugging Face's BERT and DistilBERT heads read from {@code model.safetensors}), and the {@link
 * dev.jtransformers.heads.HeadRegistry} that selects a {@link dev.jtransformers.spi.HeadFactory} by name.
 */
package dev.jtransformers.heads;
