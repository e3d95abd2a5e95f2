package dev.jtransformers.heads;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jtransformers.api.ModelLoadException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The two numbers of a model's {@code config.json} that size a classification head.
 *
 * @param hiddenSize width of the encoder's hidden states
 * @param labelCount number of labels: the size of {@code id2label}, else {@code num_labels}, else 2 (Hugging
 *     Face's default)
 */
record ModelDimensions(int hiddenSize, int labelCount) {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int DEFAULT_LABEL_COUNT = 2;

  /**
   * Reads {@code config.json} in {@code modelDirectory}.
   *
   * @param hiddenSizeKey where the architecture keeps its hidden size ({@code hidden_size} for BERT, {@code dim}
   *     for DistilBERT)
   * @throws ModelLoadException naming the file, if it is missing, not JSON, or lacks a positive hidden size
   */
  static ModelDimensions read(Path modelDirectory, String hiddenSizeKey) {
    Path file = modelDirectory.resolve("config.json");
    JsonNode config;
    try {
      config = JSON.readTree(Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      throw new ModelLoadException(file + ": no such file", e);
    } catch (IOException e) {
      throw new ModelLoadException(file + ": cannot read model configuration: " + e.getMessage(), e);
    }
    if (config == null || !config.isObject()) {
      throw new ModelLoadException(file + ": model configuration must be a JSON object");
    }
    int hiddenSize = positiveInt(config, hiddenSizeKey, file);
    JsonNode id2label = config.path("id2label");
    int labelCount =
        id2label.isObject() && !id2label.isEmpty()
            ? id2label.size()
            : config.has("num_labels") ? positiveInt(config, "num_labels", file) : DEFAULT_LABEL_COUNT;
    return new ModelDimensions(hiddenSize, labelCount);
  }

  private static int positiveInt(JsonNode config, String key, Path file) {
    JsonNode value = config.path(key);
    if (!value.canConvertToInt() || !value.isIntegralNumber() || value.intValue() <= 0) {
      throw new ModelLoadException(
          file + ": '" + key + "' must be a positive integer, got " + (value.isMissingNode() ? "nothing" : value));
    }
    return value.intValue();
  }
}
