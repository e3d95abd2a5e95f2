package dev.jtransformers.models;

import java.util.List;

/**
 * A model shipped inside jars on the classpath, usable without a download: its id and the resources that make up its
 * directory.
 *
 * <p>This is a service provider interface: implementations are registered in {@code
 * META-INF/services/dev.jtransformers.models.EmbeddedModel} (the default ones by {@code
 * dev.jtransformers:jtransformers-models-embedded}), and {@link ModelResolver} unpacks one into the {@link Cache} on
 * first use, reading its resources with the implementation's class loader. Discovery instantiates every
 * implementation, so constructors must be cheap: describe the files, don't read them.
 */
public interface EmbeddedModel {
  /** The Hugging Face id it answers to, e.g. {@code sentence-transformers/all-MiniLM-L6-v2}; compared exactly. */
  String id();

  /** The artifacts that hold its resources, named in the error raised when one is missing. */
  String origin();

  /** Its resources and their paths inside the model directory. */
  List<ResourceFile> files();
}
