package dev.jtransformers.pipelines.spi;

import dev.jtransformers.api.EncodeOptions;
import dev.jtransformers.api.Encoding;
import dev.jtransformers.api.TextInput;
import dev.jtransformers.api.Tokenizer;
import dev.jtransformers.architectures.TaskHead;
import dev.jtransformers.models.ModelConfig;
import dev.jtransformers.models.SentenceTransformersConfig;
import dev.jtransformers.spi.Head;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** What a {@link Task} sees of the pipeline being built: the loaded model, its files, the options, the heads. */
public interface TaskContext {

  /** The resolved local model directory. */
  Path modelDirectory();

  /** The model's {@code config.json}. */
  ModelConfig config();

  /** The model's sentence-transformers configuration, if it has one. */
  Optional<SentenceTransformersConfig> sentenceConfig();

  /** The model's tokenizer. */
  Tokenizer tokenizer();

  /** The names of the outputs the loaded network returns. */
  Set<String> modelOutputs();

  /**
   * The value of one of the task's options in the pipeline's configuration: set, else its default; empty when the
   * model decides. Options a call may override are read again from the call's options by the processor.
   */
  <T> Optional<T> option(TaskOption<T> option);

  /** The head the pipeline's configuration names, if it names one. */
  Optional<Head> configuredHead();

  /**
   * A head from the registry.
   *
   * @param factory the head factory's name
   * @throws IllegalArgumentException if there is no such factory or an option is wrong
   */
  Head head(String factory, Map<String, String> options);

  /**
   * The head that turns the model's outputs into sequence-classification logits: the network's own {@code logits},
   * else a {@code *ForSequenceClassification} head read from the checkpoint's weights.
   *
   * @throws dev.jtransformers.api.ModelLoadException if the model has neither
   */
  Head classificationHead();

  /**
   * Checks that the model was built for this task: its {@code config.json} names an architecture with {@code head}
   * ({@code BertForTokenClassification} for {@link TaskHead#TOKEN_CLASSIFICATION}) and its network returns that
   * head's outputs.
   *
   * @throws dev.jtransformers.api.ModelLoadException naming the architecture found, if the model has another head
   */
  void requireHead(TaskHead head);

  /** The names of a classification head's classes: the head's own when it has them, else {@code id2label}. */
  List<String> labels(Head head);

  /** How the pipeline encodes an input: truncation to {@link #maxLength()} unless turned off; never padding. */
  EncodeOptions encodeOptions();

  /** The most tokens the model takes per chunk. */
  int maxLength();

  /**
   * An input encoded with {@link #encodeOptions()}.
   *
   * @throws dev.jtransformers.api.InvalidInputException naming both lengths, if it is longer than {@link
   *     #maxLength()} (truncation off); the pipeline prefixes the message with the input's position
   */
  Encoding encode(TextInput input);
}
