package dev.jtransformers.pipelines;

import dev.jtransformers.api.Tensor;
import dev.jtransformers.models.SentenceTransformersConfig;
import dev.jtransformers.models.safetensors.SafetensorsFile;
import dev.jtransformers.models.safetensors.SafetensorsWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Saves a loaded checkpoint as a model directory this project loads again, laid out as Python's {@code
 * save_pretrained} lays it out: {@code config.json}; {@code model.safetensors} when the source has one; the ONNX
 * graph as {@code onnx/model.onnx}; and the tokenizer and sentence-transformers files the source has. Files already
 * in the target directory are replaced when written again, and left alone otherwise.
 */
final class CheckpointWriter {
  static final String WEIGHTS_FILE = "model.safetensors";
  static final String GRAPH_FILE = "onnx/model.onnx";

  /** Where a source directory may keep its ONNX graph, in order. */
  private static final List<String> GRAPH_FILES = List.of(GRAPH_FILE, "model.onnx");

  private static final List<String> TOKENIZER_FILES =
      List.of("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "vocab.txt");

  private static final List<String> SENTENCE_TRANSFORMERS_FILES =
      List.of(
          SentenceTransformersConfig.MODULES_FILE,
          SentenceTransformersConfig.SENTENCE_BERT_FILE,
          "config_sentence_transformers.json");

  /** Python {@code transformers} refuses safetensors files without this metadata. */
  private static final Map<String, String> PYTORCH_FORMAT = Map.of("format", "pt");

  private CheckpointWriter() {}

  /**
   * Writes the checkpoint into {@code target}, creating it if needed.
   *
   * @throws IllegalArgumentException if {@code target} is the directory the checkpoint was loaded from
   * @throws UnsupportedOperationException if the source has no ONNX graph (other formats can't be saved yet)
   * @throws IOException if a file can't be read or written ({@link java.io.UncheckedIOException} from the weights
   *     writer, naming the file)
   */
  static void write(Checkpoint source, Path target) throws IOException {
    Path from = source.directory();
    if (Files.exists(target) && Files.isSameFile(from, target)) {
      throw new IllegalArgumentException("cannot save a model over the directory it was loaded from: " + target);
    }
    Path graph =
        GRAPH_FILES.stream()
            .map(from::resolve)
            .filter(Files::isRegularFile)
            .findFirst()
            .orElseThrow(
                () ->
                    new UnsupportedOperationException(
                        "cannot save " + from + ": saving copies the ONNX graph, and it has none (looked for "
                            + GRAPH_FILES + ")"));
    Files.createDirectories(target);
    source.config().save(target);
    if (Files.isRegularFile(from.resolve(WEIGHTS_FILE))) {
      rewriteWeights(from.resolve(WEIGHTS_FILE), target.resolve(WEIGHTS_FILE));
    }
    copy(graph, target.resolve(GRAPH_FILE));
    for (String file : Stream.concat(TOKENIZER_FILES.stream(), SENTENCE_TRANSFORMERS_FILES.stream()).toList()) {
      copyIfPresent(from.resolve(file), target.resolve(file));
    }
    for (String module : sentenceTransformersModuleFolders(source)) {
      copyFolderFiles(from.resolve(module), target.resolve(module));
    }
  }

  /**
   * Re-writes every tensor under its own name and shape, rather than copying the file, so that the result is
   * float32 in Python's exact layout whatever type the source stored.
   */
  private static void rewriteWeights(Path from, Path to) {
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    Map<String, String> metadata = new TreeMap<>(PYTORCH_FORMAT);
    try (SafetensorsFile weights = SafetensorsFile.open(from)) {
      for (String name : weights.names()) {
        tensors.put(name, weights.getFloat(name));
      }
      metadata.putAll(weights.metadata());
    }
    SafetensorsWriter.write(to, tensors, metadata);
  }

  /** The folders of a sentence-transformers model's stages (e.g. {@code 1_Pooling}), the model's own excepted. */
  private static List<String> sentenceTransformersModuleFolders(Checkpoint source) {
    return source.sentenceConfig()
        .map(SentenceTransformersConfig::modules)
        .orElse(List.of())
        .stream()
        .map(SentenceTransformersConfig.Module::path)
        .filter(path -> !path.isEmpty())
        .toList();
  }

  private static void copyFolderFiles(Path from, Path to) throws IOException {
    if (!Files.isDirectory(from)) {
      return; // a stage without settings (Normalize) may have no folder
    }
    List<Path> files;
    try (Stream<Path> entries = Files.list(from)) {
      files = entries.filter(Files::isRegularFile).toList();
    }
    for (Path file : files) {
      copy(file, to.resolve(file.getFileName().toString()));
    }
  }

  private static void copyIfPresent(Path from, Path to) throws IOException {
    if (Files.isRegularFile(from)) {
      copy(from, to);
    }
  }

  private static void copy(Path from, Path to) throws IOException {
    Files.createDirectories(to.getParent());
    Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
  }
}
