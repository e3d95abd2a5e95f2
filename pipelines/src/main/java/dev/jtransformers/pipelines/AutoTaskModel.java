package dev.jtransformers.pipelines;

import dev.jtransformers.api.BatchEncoding;
import dev.jtransformers.api.Tensor;
import dev.jtransformers.models.ModelConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What every {@code AutoModelFor*} class does with its loaded model and head, as Python's pretrained models do: run
 * it, describe it, save it, close it. Each subclass loads its own kind of model ({@code fromPretrained}) and says
 * what its {@link #forward} returns. Thread-safe; holds the engine's native resources until {@link #close()}.
 */
public abstract class AutoTaskModel implements AutoCloseable {
  private final TaskModel model;

  AutoTaskModel(TaskModel model) {
    this.model = model;
  }

  /** The loaded model and head, for subclasses. */
  final TaskModel model() {
    return model;
  }

  /** The model's {@code config.json}. */
  public ModelConfig config() {
    return model.checkpoint().config();
  }

  /**
   * The Hugging Face Hub commit the model was taken at (what a revision such as {@code main} resolved to), as
   * Python's {@code config._commit_hash}; empty for a local directory or an embedded model.
   */
  public Optional<String> commit() {
    return model.checkpoint().commit();
  }

  /**
   * Runs the model and its head.
   *
   * @return the head's tensor, batch first (each class documents its shape)
   * @throws dev.jtransformers.api.BackendException if the engine fails
   * @throws IllegalStateException if the model is closed
   */
  public Tensor forward(BatchEncoding batch) {
    return model.forward(batch);
  }

  /**
   * Saves the model into {@code directory}, as {@link AutoModel#save} does: a head that is part of the checkpoint
   * is saved with it; a head given with {@link LoadOptions.Builder#head} stays in its own directory.
   *
   * @throws IllegalArgumentException if {@code directory} is the one the model was loaded from
   * @throws UnsupportedOperationException if the model has no ONNX graph (other formats can't be saved yet)
   * @throws IOException if a file can't be read or written
   */
  public void save(Path directory) throws IOException {
    model.save(directory);
  }

  /** Releases the engine's native resources; closing twice is harmless. */
  @Override
  public void close() {
    model.close();
  }

  @Override
  public String toString() {
    return model.describe(getClass().getSimpleName());
  }
}
