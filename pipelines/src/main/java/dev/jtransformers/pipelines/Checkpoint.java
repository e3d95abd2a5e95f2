package dev.jtransformers.pipelines;

import dev.jtransformers.models.ModelConfig;
import dev.jtransformers.models.ResolvedModel;
import dev.jtransformers.models.SentenceTransformersConfig;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A resolved model directory with its configuration read: what pipelines and the {@code Auto*} classes load a
 * model, its tokenizer and its head from.
 *
 * @param directory the local model directory, absolute
 * @param config its {@code config.json}
 * @param sentenceConfig its sentence-transformers configuration, if it has one
 * @param commit the hub commit the files were taken at; empty for a local directory or an embedded model
 */
record Checkpoint(
    Path directory, ModelConfig config, Optional<SentenceTransformersConfig> sentenceConfig, Optional<String> commit) {

  Checkpoint {
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(sentenceConfig, "sentenceConfig");
    Objects.requireNonNull(commit, "commit");
  }

  /** Reads the configuration files of a resolved model directory. */
  static Checkpoint read(ResolvedModel model) {
    Path directory = model.directory();
    return new Checkpoint(
        directory, ModelConfig.load(directory), SentenceTransformersConfig.load(directory), model.commit());
  }
}
