package dev.jtransformers.spark;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jtransformers.pipelines.PipelineConfig;
import dev.jtransformers.pipelines.PipelineConfigCodec;

/** A {@link PipelineConfig} as the one-line JSON text that travels to executors and sits in saved Params. */
final class PipelineConfigJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private PipelineConfigJson() {}

  static String write(PipelineConfig<?> config) {
    return PipelineConfigCodec.toJson(config).toString();
  }

  /**
   * The configuration of this JSON text, its task among those on the classpath.
   *
   * @throws IllegalArgumentException naming the key, or saying why the text is no JSON
   */
  static PipelineConfig<?> read(String json) {
    try {
      return PipelineConfigCodec.fromServiceLoader().read(JSON.readTree(json));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("the pipeline config is not valid JSON: " + e.getOriginalMessage(), e);
    }
  }
}
