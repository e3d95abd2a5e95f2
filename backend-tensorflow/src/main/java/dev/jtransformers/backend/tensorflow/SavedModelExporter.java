package dev.jtransformers.backend.tensorflow;

import dev.jtransformers.api.BackendException;
import dev.jtransformers.api.Device;
import dev.jtransformers.spi.LoadRequest;
import dev.jtransformers.spi.ModelExporter;
import dev.jtransformers.spi.ModelFormat;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.SessionFunction;
import org.tensorflow.exceptions.TensorFlowException;

/**
 * Writes a BERT / DistilBERT checkpoint ({@code model.safetensors} with {@code config.json}) as a TensorFlow
 * SavedModel: the built-in graph, its weights as variables in {@code variables/}, tagged {@value
 * SavedModels#SERVE_TAG}, with a {@code serving_default} signature whose inputs are {@code input_ids}, {@code
 * attention_mask} (and {@code token_type_ids} for BERT), int64 {@code [batch, sequence]}, and whose outputs carry the
 * task head's names ({@code logits}, {@code last_hidden_state}, ...). TensorFlow Serving, Python's {@code
 * tf.saved_model.load} and {@link TensorFlowBackend} load it. What the source keeps beside its network ({@code
 * config.json}, tokenizer and sentence-transformers files) is copied beside it ({@link
 * ModelExporter#copyCompanions}), so the export serves a pipeline as the source did.
 */
public final class SavedModelExporter implements ModelExporter {
  /** Creates the exporter; loads nothing native. */
  public SavedModelExporter() {}

  @Override
  public String name() {
    return "saved_model";
  }

  @Override
  public String artifact() {
    return "dev.jtransformers:jtransformers-backend-tensorflow";
  }

  @Override
  public ModelFormat format() {
    return ModelFormat.TENSORFLOW_SAVED_MODEL;
  }

  @Override
  public List<ModelFormat> sourceFormats() {
    return List.of(ModelFormat.SAFETENSORS);
  }

  @Override
  public void export(LoadRequest source, Path out) {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(out, "out");
    requireSourceFormat(source);
    ModelExporter.requireEmptyOutput(out);
    // The export runs nowhere in particular; building it on the CPU keeps the graph free of device pins.
    LoadRequest onCpu = source.toBuilder().device(Device.CPU).build();
    NativeRuntime.prepare(source.cacheDirectory());
    NativeRuntime.start();
    try (BuiltInGraph graph = BuiltInGraph.build(onCpu, Optional.empty());
        Session session = graph.openSession(Placement.of(onCpu).config())) {
      SavedModelBundle.exporter(out.toString())
          .withTags(SavedModels.SERVE_TAG)
          .withFunction(SessionFunction.create(graph.signature(), session))
          .export();
      ModelExporter.copyCompanions(source.modelDirectory(), out);
    } catch (IOException | TensorFlowException e) {
      throw new BackendException("cannot write the SavedModel " + out + ": " + e.getMessage(), e);
    }
  }
}
