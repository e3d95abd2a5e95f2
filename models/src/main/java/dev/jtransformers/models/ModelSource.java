package dev.jtransformers.models;

import dev.jtransformers.spi.ModelFormat;
import java.util.List;
import java.util.Optional;

/**
 * Somewhere models come from besides local directories and embedded ids, such as the Hugging Face Hub: the last
 * links of {@link ModelResolver}'s chain (a directory, then an embedded id, then each source, by {@link #name()}).
 *
 * <p>This is a service provider interface: implementations are registered in {@code
 * META-INF/services/dev.jtransformers.models.ModelSource} (the hub's by {@code dev.jtransformers:jtransformers-hub}).
 * Discovery instantiates every implementation, so constructors must be cheap and must not touch the network.
 * Implementations are thread-safe.
 */
public interface ModelSource {
  /** What the source is called in messages and how sources are ordered, e.g. {@code huggingface-hub}. */
  String name();

  /**
   * The local directory of the model {@code modelId} names, holding its configuration, tokenizer and
   * sentence-transformers files and, when {@code weightFormats} is not empty, its weights in the first of those
   * formats it has.
   *
   * @param modelId what the user named the model by, e.g. {@code org/name@revision}
   * @param weightFormats the formats the caller can read the network from, best first; empty when it needs no
   *     weights (a tokenizer)
   * @return empty if {@code modelId} is not a name of this source's form, so the resolver tries the next one
   * @throws dev.jtransformers.api.ModelLoadException if it is of its form but the model can't be had; the message
   *     says why and what to do
   */
  Optional<ResolvedModel> resolve(String modelId, List<ModelFormat> weightFormats);
}
