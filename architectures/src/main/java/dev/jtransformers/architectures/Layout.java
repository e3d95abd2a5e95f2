package dev.jtransformers.architectures;

import dev.jtransformers.models.ModelConfig;
import java.util.List;
import java.util.Optional;

/**
 * How one architecture names and shapes its modules in a checkpoint. Module paths take a prefix: the base model's
 * attribute name and a dot in task models ({@code bert.}), empty in a bare base model.
 */
interface Layout {
  /** The attribute that holds the base model in a task model, Hugging Face's {@code base_model_prefix}. */
  String baseModelPrefix();

  /** The start of the Hugging Face class names, e.g. {@code Bert} of {@code BertForMaskedLM}. */
  String classPrefix();

  Embeddings embeddings(String prefix, ModelConfig config);

  /** Layer {@code index} of the encoder. */
  EncoderLayer layer(String prefix, int index, ModelConfig config, Activation activation);

  /** The bare model's pooler over the {@code [CLS]} state, if the architecture has one. */
  Optional<HeadLayer> pooler(String prefix, ModelConfig config);

  /** The layer between the {@code [CLS]} state and a sequence classifier's {@code classifier}. */
  HeadLayer preClassifier(String prefix, ModelConfig config);

  /** A masked LM's transform of every token before the decoder. */
  HeadLayer maskedLmTransform(ModelConfig config, Activation activation);

  /** The bias of a masked LM's decoder, whose weight is tied to the word embeddings. */
  Parameter maskedLmBias(ModelConfig config);

  /**
   * Tensors a checkpoint with this head may hold that the network does not read: copies of tied weights, buffers
   * older versions of Hugging Face saved, layers of a wider model the head does not use.
   */
  List<Parameter> ignorable(TaskHead task, String prefix, ModelConfig config);
}
