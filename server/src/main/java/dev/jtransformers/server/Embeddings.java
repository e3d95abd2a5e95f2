package dev.jtransformers.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.jtransformers.api.Tensor;

/** Sentence vectors as the embedding routes answer them. */
final class Embeddings {
  /** How far from 1 a norm may be and still count as unit length (float rounding of a normalised vector). */
  private static final double UNIT_TOLERANCE = 1e-5;

  private Embeddings() {}

  /**
   * The pooled vector of a feature-extraction result, L2-normalised when asked (left as it is when it already has
   * unit length, so a normalising pipeline's answer is exactly the in-process one).
   *
   * @throws ApiException 424 if the pipeline returns token states (configured with {@code pooling: none})
   */
  static float[] pooled(Tensor result, String pipeline, boolean normalize) {
    if (result.rank() != 1) {
      throw ApiException.backend("pipeline " + pipeline + " returns token states (pooling: none), not one vector"
          + " per text");
    }
    float[] vector = result.toFloatArray();
    if (!normalize) {
      return vector;
    }
    double squares = 0;
    for (float v : vector) {
      squares += (double) v * v;
    }
    double norm = Math.sqrt(squares);
    if (Math.abs(norm - 1) <= UNIT_TOLERANCE || norm == 0) {
      return vector;
    }
    for (int i = 0; i < vector.length; i++) {
      vector[i] = (float) (vector[i] / norm);
    }
    return vector;
  }

  /** Appends a vector's values to a JSON array. */
  static void addTo(ArrayNode array, float[] vector) {
    for (float value : vector) {
      array.add(value);
    }
  }
}
