package dev.jtransformers.pipelines;

import dev.jtransformers.api.BatchEncoding;
import dev.jtransformers.api.Model;
import dev.jtransformers.api.ModelLoadException;
import dev.jtransformers.api.ModelOutput;
import dev.jtransformers.api.Tensor;
import dev.jtransformers.models.ModelConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The second step of a pipeline by hand, as Python's {@code AutoModel.from_pretrained(checkpoint)}: the base
 * transformer, whose output is the hidden state of every token, {@code last_hidden_state} {@code [batch, sequence,
 * hidden]}. Loaded exactly as pipelines load their model (same resolution, same backend choice).
 *
 * <pre>{@code
 * try (AutoModel model = AutoModel.fromPretrained("sentence-transformers/all-MiniLM-L6-v2")) {
 *   Tensor states = model.forward(inputs).get(ModelOutput.LAST_HIDDEN_STATE);   // [2, 16, 384]
 * }
 * }</pre>
 *
 * <p>Thread-safe. Holds the engine's native resources until {@link #close()}.
 */
public final class AutoModel implements Model {
  private final Checkpoint checkpoint;
  private final Model model;
  private final Set<String> outputNames;

  private AutoModel(Checkpoint checkpoint, Model model) {
    this.checkpoint = checkpoint;
    this.model = model;
    Set<String> names = new LinkedHashSet<>(model.outputNames());
    names.remove(ModelOutput.LOGITS); // a classifier's own output: not the base model's
    this.outputNames = Collections.unmodifiableSet(names);
  }

  /**
   * Loads a model on the best backend on the classpath, on the CPU.
   *
   * @param modelIdOrDirectory a model directory, or the id of an embedded model (e.g. {@code
   *     sentence-transformers/all-MiniLM-L6-v2})
   * @throws ModelLoadException if the model can't be found or read, or it has no {@code last_hidden_state} output
   * @throws dev.jtransformers.api.BackendException if no backend on the classpath can load it
   */
  public static AutoModel fromPretrained(String modelIdOrDirectory) {
    return fromPretrained(modelIdOrDirectory, LoadOptions.DEFAULT);
  }

  /**
   * Loads a model on the backend and device the options name.
   *
   * @throws ModelLoadException if the model can't be found or read, or it has no {@code last_hidden_state} output
   * @throws dev.jtransformers.api.BackendException if the backend is absent, or none can load the model on the
   *     device
   */
  public static AutoModel fromPretrained(String modelIdOrDirectory, LoadOptions options) {
    Objects.requireNonNull(options, "options");
    ModelLoader loader = ModelLoader.fromServiceLoader();
    Checkpoint checkpoint = loader.checkpoint(modelIdOrDirectory, options);
    Model model = loader.load(checkpoint, options);
    if (!model.outputNames().contains(ModelOutput.LAST_HIDDEN_STATE)) {
      model.close();
      throw new ModelLoadException(
          "model in " + checkpoint.directory() + " has no " + ModelOutput.LAST_HIDDEN_STATE + " output (it outputs "
              + model.outputNames() + "), so it can't serve as a base model");
    }
    return new AutoModel(checkpoint, model);
  }

  /** The model's {@code config.json}. */
  public ModelConfig config() {
    return checkpoint.config();
  }

  /**
   * The Hugging Face Hub commit the model was taken at (what a revision such as {@code main} resolved to), as
   * Python's {@code config._commit_hash}; empty for a local directory or an embedded model.
   */
  public Optional<String> commit() {
    return checkpoint.commit();
  }

  /**
   * Runs the model: {@link ModelOutput#LAST_HIDDEN_STATE} {@code [batch, sequence, hidden]}, and {@link
   * ModelOutput#POOLER_OUTPUT} {@code [batch, hidden]} when the graph has it. A classifier's {@code logits} are
   * left out, as Python's base model has none; {@link AutoModelForSequenceClassification} gives them.
   *
   * @throws dev.jtransformers.api.BackendException if the engine fails
   * @throws IllegalStateException if the model is closed
   */
  @Override
  public ModelOutput forward(BatchEncoding batch) {
    Objects.requireNonNull(batch, "batch");
    ModelOutput output = model.forward(batch);
    Map<String, Tensor> base = new LinkedHashMap<>();
    outputNames.forEach(name -> base.put(name, output.get(name)));
    return ModelOutput.of(base);
  }

  @Override
  public int concurrentCalls() {
    return model.concurrentCalls();
  }

  /** The names {@link #forward} returns: {@code last_hidden_state}, and others the graph has but {@code logits}. */
  @Override
  public Set<String> outputNames() {
    return outputNames;
  }

  /**
   * Saves the model into {@code directory}, as Python's {@code save_pretrained}: {@code config.json}, {@code
   * model.safetensors} (each tensor of the source's re-written under the same name and shape, as float32), the ONNX
   * graph as {@code onnx/model.onnx}, and the tokenizer and sentence-transformers files. This project loads the
   * directory again with identical outputs; Python {@code transformers} loads its {@code config.json} and weights.
   *
   * <p>The whole checkpoint is saved: a base model loaded from a classifier's checkpoint saves its classifier too. A
   * model whose source has no {@code model.safetensors} (the embedded all-MiniLM-L6-v2 is ONNX only) is saved
   * without one: this project loads it, Python {@code transformers} can't.
   *
   * @throws IllegalArgumentException if {@code directory} is the one the model was loaded from
   * @throws UnsupportedOperationException if the model has no ONNX graph (other formats can't be saved yet)
   * @throws IOException if a file can't be read or written ({@link java.io.UncheckedIOException} from the weights
   *     writer)
   */
  public void save(Path directory) throws IOException {
    CheckpointWriter.write(checkpoint, Objects.requireNonNull(directory, "directory"));
  }

  /** Releases the engine's native resources; closing twice is harmless. */
  @Override
  public void close() {
    model.close();
  }

  @Override
  public String toString() {
    return "AutoModel[" + checkpoint.directory() + ", " + checkpoint.config() + "]";
  }
}
