package dev.jtransformers.hub;

import dev.jtransformers.spi.ModelFormat;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which files of a repository a caller needs: every configuration, tokenizer and sentence-transformers file it has,
 * and the weights in the first of the caller's formats the repository holds, nothing else. {@code pytorch_model.bin}
 * and {@code tf_model.h5} belong to no format here, so they are never fetched (and a pickle is never read).
 * Immutable.
 */
public final class FileSelection {
  /** Files fetched whenever the repository has them: small, and read before any weights. */
  private static final Set<String> METADATA = Set.of(
      "config.json",
      "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "added_tokens.json",
      "vocab.txt", "vocab.json", "merges.txt",
      "modules.json", "sentence_bert_config.json", "config_sentence_transformers.json",
      // A head trained by this project (heads' TrainedHead) published as a repository of its own.
      "head_config.json", "head.safetensors");

  /** A sentence-transformers module's configuration, e.g. {@code 1_Pooling/config.json}. */
  private static final Pattern SENTENCE_MODULE_CONFIG = Pattern.compile("\\d+_[^/]+/config\\.json");

  /** The shards of a sharded {@code model.safetensors}, named as {@code transformers} names them. */
  private static final Pattern SAFETENSORS_SHARD = Pattern.compile("model-\\d+-of-\\d+\\.safetensors");
  private static final String SAFETENSORS_INDEX = "model.safetensors.index.json";
  private static final String SAVED_MODEL_FILE = "saved_model.pb";

  /**
   * The files to fetch from one listing.
   *
   * @param optional configuration and tokenizer files: their absence is no error
   * @param weights the weight files, all needed
   * @param format the format of {@code weights}; empty when none was asked for
   */
  public record Plan(List<String> optional, List<String> weights, Optional<ModelFormat> format) {
    public Plan {
      optional = List.copyOf(optional);
      weights = List.copyOf(weights);
      Objects.requireNonNull(format, "format");
    }

    /** Every file of the plan, the small ones first. */
    public List<String> all() {
      List<String> all = new ArrayList<>(optional);
      all.addAll(weights);
      return all;
    }
  }

  private final List<ModelFormat> weightFormats;

  private FileSelection(List<ModelFormat> weightFormats) {
    this.weightFormats = List.copyOf(weightFormats);
  }

  /** The metadata files and weights in the first of {@code weightFormats} (best first) the repository has. */
  public static FileSelection of(List<ModelFormat> weightFormats) {
    return new FileSelection(Objects.requireNonNull(weightFormats, "weightFormats"));
  }

  /** The formats asked for, best first. */
  public List<ModelFormat> weightFormats() {
    return weightFormats;
  }

  /**
   * What to fetch of a repository with these files.
   *
   * @throws HubException if weights were asked for but the repository has none in those formats, naming what it has
   */
  public Plan plan(Collection<String> files, String repository) {
    Set<String> listed = new LinkedHashSet<>(files);
    List<String> optional = listed.stream()
        .filter(file -> METADATA.contains(file) || SENTENCE_MODULE_CONFIG.matcher(file).matches())
        .sorted()
        .toList();
    if (weightFormats.isEmpty()) {
      return new Plan(optional, List.of(), Optional.empty());
    }
    for (ModelFormat format : weightFormats) {
      List<String> weights = weights(format, listed);
      if (!weights.isEmpty()) {
        return new Plan(optional, weights, Optional.of(format));
      }
    }
    throw new HubException(repository + " has no weights in " + weightFormats + " (looked for "
        + weightFormats.stream().map(ModelFormat::describeFiles).toList() + "; it has " + listed.stream().sorted()
        .toList() + "); pytorch_model.bin and tf_model.h5 are not read, a backend for another format may be");
  }

  /** The files that make up {@code format} in the listing, in the format's order of places; empty if it has none. */
  private static List<String> weights(ModelFormat format, Set<String> listed) {
    return switch (format) {
      case ONNX, TORCHSCRIPT -> format.places().stream()
          .filter(listed::contains)
          .findFirst()
          .map(file -> listed.contains(file + "_data") ? List.of(file, file + "_data") : List.of(file))
          .orElse(List.of());
      case SAFETENSORS -> !listed.contains("config.json") ? List.of()
          : listed.contains("model.safetensors") ? List.of("model.safetensors")
          : listed.contains(SAFETENSORS_INDEX) ? shardedSafetensors(listed)
          : List.of();
      case TENSORFLOW_SAVED_MODEL -> format.places().stream()
          .map(directory -> directory.isEmpty() ? "" : directory + "/")
          .filter(prefix -> listed.contains(prefix + SAVED_MODEL_FILE))
          .findFirst()
          .map(prefix -> savedModel(prefix, listed))
          .orElse(List.of());
    };
  }

  private static List<String> shardedSafetensors(Set<String> listed) {
    List<String> files = new ArrayList<>(List.of(SAFETENSORS_INDEX));
    listed.stream().filter(file -> SAFETENSORS_SHARD.matcher(file).matches()).sorted().forEach(files::add);
    return files;
  }

  /** A SavedModel: its {@code saved_model.pb}, {@code variables/} and {@code assets/} under {@code prefix}. */
  private static List<String> savedModel(String prefix, Set<String> listed) {
    return listed.stream()
        .filter(file -> file.equals(prefix + SAVED_MODEL_FILE) || file.startsWith(prefix + "variables/")
            || file.startsWith(prefix + "assets/"))
        .sorted()
        .toList();
  }

  @Override
  public String toString() {
    return "FileSelection[metadata and " + (weightFormats.isEmpty() ? "no weights" : "weights in " + weightFormats)
        + "]";
  }
}
