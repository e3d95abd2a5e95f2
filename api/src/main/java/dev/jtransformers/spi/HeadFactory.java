package dev.jtransformers.spi;

/**
 * Creates heads selected by name in a pipeline's configuration ({@code "head": {"type": "my-head"}}). Register an
 * implementation in {@code META-INF/services/dev.jtransformers.spi.HeadFactory}.
 */
public interface HeadFactory {

  /** The name configuration selects this factory by. */
  String name();

  /**
   * @throws dev.jtransformers.api.ModelLoadException if the head's weights or configuration can't be read
   * @throws IllegalArgumentException if an option is missing or malformed
   */
  Head create(HeadContext context);
}
