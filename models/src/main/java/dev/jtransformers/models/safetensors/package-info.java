/**
 * Reading and writing the <a href="https://github.com/huggingface/safetensors">safetensors</a> format, in which
 * Hugging Face checkpoints ({@code model.safetensors}) and JTransformers' trained heads store their weights: a
 * JSON header followed by raw little-endian tensor data. Nothing is ever unpickled or executed.
 */
package dev.jtransformers.models.safetensors;
