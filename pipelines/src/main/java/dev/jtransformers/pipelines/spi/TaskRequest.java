package dev.jtransformers.pipelines.spi;

import dev.jtransformers.api.TextInput;
import java.util.Objects;

/**
 * One input with the keyword arguments of its own call, as Python's {@code pipeline(inputs, **parameters)}; the
 * parameters are put over the pipeline's options for this input only.
 *
 * @param input the input
 * @param parameters options for this call; each must be {@linkplain TaskOption#perCall() settable per call}
 */
public record TaskRequest(TextInput input, TaskOptions parameters) {

  public TaskRequest {
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(parameters, "parameters");
  }
}
