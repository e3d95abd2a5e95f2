package dev.jtransformers.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtransformers.api.ModelLoadException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFormatTest {
  @TempDir Path directory;

  private Path touch(String relative) throws IOException {
    Path file = directory.resolve(relative);
    Files.createDirectories(file.getParent());
    return Files.write(file, new byte[] {1});
  }

  @Test
  void listsEveryFormatAHuggingFaceStyleCheckpointHolds() throws IOException {
    assertEquals(Set.of(), ModelFormat.present(directory));
    touch("config.json");
    touch("onnx/model.onnx");
    touch("model.pt");
    touch("model.safetensors");

    assertEquals(
        List.of(ModelFormat.ONNX, ModelFormat.TORCHSCRIPT, ModelFormat.SAFETENSORS),
        List.copyOf(ModelFormat.present(directory)));
  }

  @Test
  void onnxPrefersHuggingFacesLayoutToAPlainExport() throws IOException {
    Path plain = touch("model.onnx");
    assertEquals(Optional.of(plain), ModelFormat.ONNX.locate(directory));

    Path hub = touch("onnx/model.onnx");
    assertEquals(Optional.of(hub), ModelFormat.ONNX.locate(directory));
  }

  @Test
  void safetensorsWeightsNeedTheirConfiguration() throws IOException {
    Path weights = touch("model.safetensors");
    assertEquals(Set.of(), ModelFormat.present(directory));

    touch("config.json");
    assertEquals(Optional.of(weights), ModelFormat.SAFETENSORS.locate(directory));
  }

  @Test
  void savedModelIsADirectoryHoldingSavedModelPb() throws IOException {
    Files.createDirectories(directory.resolve("saved_model"));
    assertEquals(Set.of(), ModelFormat.present(directory)); // an empty folder is no SavedModel

    touch("saved_model/saved_model.pb");
    assertEquals(Optional.of(directory.resolve("saved_model")), ModelFormat.TENSORFLOW_SAVED_MODEL.locate(directory));

    Path exported = Files.createDirectories(directory.resolve("export"));
    touch("export/saved_model.pb");
    assertEquals(Optional.of(exported), ModelFormat.TENSORFLOW_SAVED_MODEL.locate(exported));
  }

  @Test
  void requireNamesTheDirectoryAndThePlacesLookedAt() {
    ModelLoadException e = assertThrows(ModelLoadException.class, () -> ModelFormat.ONNX.require(directory));
    assertEquals("no ONNX model in " + directory + ": expected onnx/model.onnx or model.onnx", e.getMessage());

    e = assertThrows(ModelLoadException.class, () -> ModelFormat.SAFETENSORS.require(directory));
    assertTrue(e.getMessage().endsWith("expected model.safetensors with config.json"), e.getMessage());
  }

  @Test
  void aMissingDirectoryHoldsNoFormat() {
    assertEquals(EnumSet.noneOf(ModelFormat.class), ModelFormat.present(directory.resolve("absent")));
  }
}
