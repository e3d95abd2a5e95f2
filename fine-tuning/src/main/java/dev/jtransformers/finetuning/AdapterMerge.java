package dev.jtransformers.finetuning;

import dev.jtransformers.api.Tensor;
import dev.jtransformers.architectures.Parameter;
import dev.jtransformers.architectures.PeftAdapter;
import dev.jtransformers.architectures.TaskHead;
import dev.jtransformers.architectures.Weights;
import dev.jtransformers.models.ModelConfig;
import dev.jtransformers.models.safetensors.SafetensorsWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes a base model with a LoRA adapter merged in as a plain Hugging Face checkpoint, as {@code peft}'s {@code
 * merge_and_unload()} then {@code save_pretrained()} would: the task model's {@code config.json} (from the adapter
 * directory, where {@link FineTuner} puts it), {@code model.safetensors} with {@code W + scaling · B A} in each
 * adapted layer and the saved modules, and the tokenizer files.
 */
public final class AdapterMerge {
  private AdapterMerge() {}

  /**
   * Merges {@code adapterDirectory} into {@code baseDirectory} and writes the result to {@code out}.
   *
   * @throws dev.jtransformers.api.ModelLoadException naming the file, if the base, the adapter or its {@code
   *     config.json} can't be read or do not fit each other
   * @throws UncheckedIOException naming the file, if the output can't be written
   */
  public static void merge(Path baseDirectory, Path adapterDirectory, Path out) {
    PeftAdapter adapter = PeftAdapter.read(adapterDirectory);
    ModelConfig task = ModelConfig.load(adapterDirectory.resolve(ModelConfig.FILE_NAME));
    FineTuningTask fineTuningTask =
        Arrays.stream(FineTuningTask.values())
            .filter(t -> t.head() == TaskHead.of(task))
            .findFirst()
            .orElseThrow(() -> new IllegalArgumentException(
                adapterDirectory.resolve(ModelConfig.FILE_NAME) + " is not a text or token classifier"));
    StartingModel start = StartingModel.open(baseDirectory, fineTuningTask, task.labels(), 0);
    Weights merged = adapter.mergeInto(start.weights());
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    for (Parameter parameter : start.spec().parameters()) {
      tensors.put(parameter.name(), merged.read(parameter.name()));
    }
    try {
      Files.createDirectories(out);
      start.config().save(out);
      SafetensorsWriter.write(out.resolve("model.safetensors"), tensors, Map.of("format", "pt"));
      FineTuner.copyTokenizerFiles(baseDirectory, out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the merged model to " + out + ": " + e.getMessage(), e);
    }
  }
}
