package dev.jtransformers.models.embedded;

import java.util.List;

/**
 * The default sentiment adapter: a LoRA adapter in {@code peft}'s format (rank 16, stored as float16, on every
 * attention and feed-forward projection, the classifier trained in full) fine-tuned by this project's {@code
 * fine-tune} on all-MiniLM-L6-v2 over the GLUE SST-2 training set, NEGATIVE/POSITIVE. An adapter directory, not a
 * model: it is merged into {@link AllMiniLmL6V2}'s weights as that loads.
 */
public final class AllMiniLmL6V2Sst2Adapter extends ListedModel {
  /** The id it answers to. */
  public static final String ID = "jtransformers/all-MiniLM-L6-v2-sst2-lora";

  private static final String NAME = "all-minilm-l6-v2-sst2-lora";

  /** Called by {@link java.util.ServiceLoader}. */
  public AllMiniLmL6V2Sst2Adapter() {
    super(
        ID,
        THIS_ARTIFACT,
        List.of(
            ownFile(NAME, "adapter_config.json"),
            ownFile(NAME, "adapter_model.safetensors"),
            ownFile(NAME, "config.json"),
            ownFile(NAME, "fine_tuning.json")));
  }
}
