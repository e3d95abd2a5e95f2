package dev.jtransformers.pipelines.spi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jtransformers.api.TextInput;
import java.util.List;
import java.util.Optional;

/**
 * A pipeline task, defined once and served alike by the Java API, config files, Guice, the CLI and servers:
 * its Hugging Face name and aliases, its options, its default model, how it turns the loaded model into a {@link
 * TaskProcessor} (pre-processing into chunks, head, post-processing), and the JSON form of its inputs and results.
 *
 * <p>Register an implementation in {@code META-INF/services/dev.jtransformers.pipelines.spi.Task}; it needs a
 * public no-argument constructor and must be stateless (instances are interchangeable). Options are
 * {@code static final} constants of the implementing class, so callers can set them with type checking.
 *
 * @param <O> the result for one input
 */
public interface Task<O> {

  /** The Hugging Face task name, e.g. {@code text-classification}. */
  String name();

  /** Other names it is known by, e.g. {@code sentiment-analysis}. */
  default List<String> aliases() {
    return List.of();
  }

  /** Every option this task takes. */
  List<TaskOption<?>> options();

  /** The model a pipeline of this task runs when none is given; empty if the task needs one. */
  default Optional<DefaultModel> defaultModel() {
    return Optional.empty();
  }

  /**
   * What the task does around one loaded model: called once per pipeline, after the model is loaded.
   *
   * @throws dev.jtransformers.api.ModelLoadException if the model can't do this task (e.g. it has no classifier)
   * @throws IllegalArgumentException if an option doesn't fit the model
   */
  TaskProcessor<O> processor(TaskContext context);

  /**
   * An input from its JSON form. The default reads a string, or {@code {"text": …, "text_pair": …}}.
   *
   * @throws IllegalArgumentException saying what was expected, if the value is not an input of this task
   */
  default TextInput inputFromJson(JsonNode json) {
    return TextInputJson.read(json);
  }

  /** The JSON form of one result, as Python's pipeline returns it. */
  JsonNode toJson(O result);
}
