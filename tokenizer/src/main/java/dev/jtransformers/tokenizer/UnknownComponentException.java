package dev.jtransformers.tokenizer;

import java.util.List;
import java.util.SortedSet;

/**
 * A tokenizer file names a component {@code "type"} that no {@link ComponentFactory} on the class path builds. The
 * message names the stage, the type, the types known for that stage and the factories that failed to load.
 */
public final class UnknownComponentException extends TokenizerConfigException {
  private static final long serialVersionUID = 1L;

  private final String stage;
  private final String type;
  private final List<String> knownTypes;

  /** @param location where the section is, as {@link ConfigSection} names it in messages */
  UnknownComponentException(
      String location, Stage<?> stage, String type, SortedSet<String> knownTypes, List<String> failures) {
    super(location + stage + " type " + type + " is not supported; known " + stage + " types: " + knownTypes
        + (failures.isEmpty() ? "" : "; components that failed to load: " + failures), null);
    this.stage = stage.section();
    this.type = type;
    this.knownTypes = List.copyOf(knownTypes);
  }

  /** The stage's section, e.g. {@code "pre_tokenizer"}. */
  public String stage() {
    return stage;
  }

  /** The type asked for. */
  public String type() {
    return type;
  }

  /** The types the stage's factories build, sorted. */
  public List<String> knownTypes() {
    return knownTypes;
  }
}
