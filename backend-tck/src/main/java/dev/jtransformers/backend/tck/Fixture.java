package dev.jtransformers.backend.tck;

import dev.jtransformers.spi.ModelFormat;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;

/**
 * The fixture models of the shared folder the kit checks backends against. Each directory holds the model in the
 * {@linkplain #formats() formats} it declares (ONNX, safetensors, TorchScript where it exists), its {@code
 * config.json}, and {@code reference.jsonl}: Python {@code transformers} outputs ({@code logits}, {@code
 * last_hidden_state}) for known {@code input_ids}.
 */
public enum Fixture {
  /** Random-weight {@code BertForSequenceClassification}: hidden 32, 2 layers, 3 labels; takes token_type_ids. */
  TINY_RANDOM_BERT("tiny-random-bert", ModelFormat.ONNX, ModelFormat.TORCHSCRIPT, ModelFormat.SAFETENSORS),
  /** Random-weight {@code DistilBertForSequenceClassification}: hidden 32, 2 layers, 3 labels; no token_type_ids. */
  TINY_RANDOM_DISTILBERT(
      "tiny-random-distilbert", ModelFormat.ONNX, ModelFormat.TORCHSCRIPT, ModelFormat.SAFETENSORS),
  /** A real sentiment classifier on the all-MiniLM-L6-v2 encoder: hidden 384, 6 layers, 2 labels (no TorchScript). */
  MINILM_L6_SST2("minilm-l6-sst2", ModelFormat.ONNX, ModelFormat.SAFETENSORS);

  private final String directoryName;
  private final Set<ModelFormat> formats;

  Fixture(String directoryName, ModelFormat first, ModelFormat... more) {
    this.directoryName = directoryName;
    this.formats = Set.copyOf(EnumSet.of(first, more));
  }

  /** The folder name under {@code shared/models/}. */
  public String directoryName() {
    return directoryName;
  }

  /** The formats the fixture ships its model in; the kit loads each explicitly. */
  public Set<ModelFormat> formats() {
    return formats;
  }

  /** The model directory; skips the calling test when the shared folder is absent. */
  public Path directory() {
    return SharedFolder.resolve("models/" + directoryName);
  }
}
