package dev.jtransformers.heads.training;

import dev.jtransformers.api.ModelLoadException;
import dev.jtransformers.heads.HeadOptions;
import dev.jtransformers.models.ModelConfig;
import dev.jtransformers.spi.Head;
import dev.jtransformers.spi.HeadContext;
import dev.jtransformers.spi.HeadFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * {@code trained}: a head saved by {@link TrainedHead#save}, from the directory in option {@code path} (a relative
 * path resolves against the working directory). It pools the model's {@code last_hidden_state} as in training,
 * then applies its layers: logits {@code [batch, labels]}.
 */
public final class TrainedHeadFactory implements HeadFactory {
  public static final String NAME = "trained";

  @Override
  public String name() {
    return NAME;
  }

  /**
   * @throws IllegalArgumentException if option {@code path} is missing or another option is given
   * @throws dev.jtransformers.api.ModelLoadException naming the file, if the head can't be loaded, or takes vectors
   *     of another width than the model's hidden states
   */
  @Override
  public Head create(HeadContext context) {
    HeadOptions options = HeadOptions.of(NAME, context, Set.of("path"));
    Path directory = Path.of(options.require("path"));
    TrainedHead head = TrainedHead.load(directory);
    // Checked now, so a head trained on another encoder fails when the pipeline is built, not on every call.
    if (Files.exists(context.modelDirectory().resolve(ModelConfig.FILE_NAME))) {
      int hidden = ModelConfig.load(context.modelDirectory()).hiddenSize();
      if (head.config().inputDim() != hidden) {
        throw new ModelLoadException("the head in " + directory + " takes " + head.config().inputDim()
            + "-wide vectors but the model in " + context.modelDirectory() + " gives " + hidden + ": it was trained"
            + " on another encoder");
      }
    }
    return head;
  }
}
