package dev.jtransformers.pipelines;

import dev.jtransformers.api.BatchEncoding;
import dev.jtransformers.api.Model;
import dev.jtransformers.api.ModelOutput;
import dev.jtransformers.api.Tensor;
import dev.jtransformers.architectures.TaskHead;
import dev.jtransformers.heads.OutputHead;
import dev.jtransformers.spi.Head;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A loaded model with the head that turns its outputs into its task's tensor: what each {@code AutoModelFor*} class
 * holds and delegates to, so they load, run, save and close alike. Thread-safe.
 */
final class TaskModel implements AutoCloseable {
  private final Checkpoint checkpoint;
  private final Model model;
  private final Head head;

  /** How an {@code AutoModelFor*} class finds its head on a loaded model. */
  @FunctionalInterface
  interface HeadChoice {
    /** @throws dev.jtransformers.api.ModelLoadException if the model has no fitting head */
    Head choose(ModelLoader loader, Checkpoint checkpoint, Model model);
  }

  private TaskModel(Checkpoint checkpoint, Model model, Head head) {
    this.checkpoint = checkpoint;
    this.model = model;
    this.head = head;
  }

  /**
   * Loads a model as pipelines do and chooses its head; the model is closed again if no head fits.
   *
   * @throws dev.jtransformers.api.ModelLoadException if the model can't be found or read, or no head fits
   * @throws dev.jtransformers.api.BackendException if no backend can load it on the device
   */
  static TaskModel load(String modelIdOrDirectory, LoadOptions options, HeadChoice choice) {
    ModelLoader loader = ModelLoader.fromServiceLoader();
    return loader.loadWrapped(modelIdOrDirectory, options,
        (checkpoint, model) -> new TaskModel(checkpoint, model, choice.choose(loader, checkpoint, model)));
  }

  /**
   * Loads a model whose network ends in {@code head}, whose token-level {@code logits} {@code [batch, sequence, n]}
   * are the result.
   *
   * @param user the {@code Auto*} class, for error messages
   * @throws dev.jtransformers.api.ModelLoadException naming the architecture found, if the model has another head
   */
  static TaskModel withTokenLogits(String modelIdOrDirectory, LoadOptions options, TaskHead head, String user) {
    return load(modelIdOrDirectory, options, (loader, checkpoint, model) -> {
      ModelLoader.requireHead(checkpoint, model, head, user);
      return new OutputHead(ModelOutput.LOGITS, 3);
    });
  }

  /** The directory and configuration it was loaded from. */
  Checkpoint checkpoint() {
    return checkpoint;
  }

  /** Runs the model and its head. */
  Tensor forward(BatchEncoding batch) {
    Objects.requireNonNull(batch, "batch");
    return head.apply(model.forward(batch, head.requiredOutputs()), batch);
  }

  /** The class name of each logit column: the head's own labels when it has them, else {@code id2label}. */
  SortedMap<Integer, String> id2label() {
    List<String> labels = ModelLoader.labels(checkpoint, head);
    SortedMap<Integer, String> map = new TreeMap<>();
    for (int i = 0; i < labels.size(); i++) {
      map.put(i, labels.get(i));
    }
    return Collections.unmodifiableSortedMap(map);
  }

  /** Saves the checkpoint ({@link CheckpointWriter}). */
  void save(Path directory) throws IOException {
    CheckpointWriter.write(checkpoint, Objects.requireNonNull(directory, "directory"));
  }

  @Override
  public void close() {
    model.close();
  }

  /** {@code Name[directory, config]}. */
  String describe(String name) {
    return name + "[" + checkpoint.directory() + ", " + checkpoint.config() + "]";
  }
}
