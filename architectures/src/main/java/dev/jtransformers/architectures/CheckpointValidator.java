package dev.jtransformers.architectures;

import dev.jtransformers.api.ModelLoadException;
import dev.jtransformers.models.safetensors.SafetensorsFile;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Checks a checkpoint ({@link Weights}: a safetensors file, an ONNX export's initializers) against a {@link NetworkSpec} before anything is built from it, so that a wrong
 * file fails with a message naming the file and each offending tensor, not deep inside an engine. Stricter than
 * Python {@code transformers}, which only warns about unexpected tensors and initialises missing ones at random.
 */
public final class CheckpointValidator {
  /** Problems named in one message; a checkpoint of another architecture would otherwise list hundreds. */
  private static final int MAX_REPORTED = 5;

  private CheckpointValidator() {}

  /**
   * Checks that {@code file} holds every one of {@code spec}'s {@linkplain NetworkSpec#parameters() parameters}
   * with its shape and a float-readable dtype, and nothing else but its {@linkplain
   * NetworkSpec#ignorableParameters() ignorable} tensors (which, where present, must have their shapes too). A
   * masked LM's decoder weight, tied to the word embeddings, may be absent.
   *
   * @throws ModelLoadException naming the file, the class checked against, and the first missing, unexpected or
   *     mis-shaped tensors
   */
  public static void validate(NetworkSpec spec, SafetensorsFile file) {
    validate(spec, Weights.of(Objects.requireNonNull(file, "file")));
  }

  /**
   * Checks {@code file} as {@link #validate(NetworkSpec, SafetensorsFile)} checks a safetensors file.
   *
   * @throws ModelLoadException naming the file, the class checked against, and the first missing, unexpected or
   *     mis-shaped tensors
   */
  public static void validate(NetworkSpec spec, Weights file) {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(file, "file");
    List<String> problems = new ArrayList<>();
    Set<String> known = new HashSet<>();
    for (Parameter parameter : spec.parameters()) {
      known.add(parameter.name());
      check(file, parameter, problems);
    }
    for (Parameter parameter : spec.ignorableParameters()) {
      known.add(parameter.name());
      if (file.names().contains(parameter.name())) {
        checkShape(file, parameter, problems);
      }
    }
    for (String name : file.names()) {
      if (!known.contains(name)) {
        problems.add("unexpected tensor '" + name + "' " + Arrays.toString(file.shape(name)));
      }
    }
    throwIfAny(file, problems, " (checked against " + spec.className() + " as config.json describes it)");
  }

  /**
   * Checks that {@code file} holds each of {@code parameters} with its shape and a float-readable dtype; other
   * tensors may be there too. For code that reads part of a checkpoint, e.g. a {@link HeadSpec head}.
   *
   * @throws ModelLoadException naming the file and the first missing or mis-shaped tensors
   */
  public static void requireParameters(SafetensorsFile file, Collection<Parameter> parameters) {
    Weights weights = Weights.of(Objects.requireNonNull(file, "file"));
    List<String> problems = new ArrayList<>();
    parameters.forEach(parameter -> check(weights, parameter, problems));
    throwIfAny(weights, problems, "");
  }

  private static void check(Weights file, Parameter parameter, List<String> problems) {
    if (!file.names().contains(parameter.name())) {
      problems.add("no tensor '" + parameter.name() + "' " + Arrays.toString(parameter.shape()));
      return;
    }
    if (checkShape(file, parameter, problems)) {
      if (!file.readableAsFloat(parameter.name())) {
        problems.add(
            "tensor '" + parameter.name() + "' has dtype " + file.dtype(parameter.name())
                + ", which can't be read as float");
      }
    }
  }

  /** @return whether the shape is right */
  private static boolean checkShape(Weights file, Parameter parameter, List<String> problems) {
    int[] actual = file.shape(parameter.name());
    if (Arrays.equals(actual, parameter.shape())) {
      return true;
    }
    problems.add(
        "tensor '"
            + parameter.name()
            + "' has shape "
            + Arrays.toString(actual)
            + ", but the configuration implies "
            + Arrays.toString(parameter.shape()));
    return false;
  }

  private static void throwIfAny(Weights file, List<String> problems, String context) {
    if (problems.isEmpty()) {
      return;
    }
    String reported = String.join("; ", problems.subList(0, Math.min(problems.size(), MAX_REPORTED)));
    String more = problems.size() > MAX_REPORTED ? "; and " + (problems.size() - MAX_REPORTED) + " more" : "";
    throw new ModelLoadException(file.path() + ": " + reported + more + context);
  }
}
