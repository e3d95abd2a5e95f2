package dev.jtransformers.pipelines.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.jtransformers.api.EncodeOptions;
import dev.jtransformers.api.Encoding;
import dev.jtransformers.api.InvalidInputException;
import dev.jtransformers.api.ModelLoadException;
import dev.jtransformers.api.TextInput;
import dev.jtransformers.api.Tokenizer;
import dev.jtransformers.architectures.TaskHead;
import dev.jtransformers.pipelines.spi.Chunk;
import dev.jtransformers.pipelines.spi.Task;
import dev.jtransformers.pipelines.spi.TaskContext;
import dev.jtransformers.pipelines.spi.TaskOption;
import dev.jtransformers.pipelines.spi.TaskOptions;
import dev.jtransformers.pipelines.spi.TaskProcessor;
import dev.jtransformers.pipelines.spi.TextInputJson;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code fill-mask}: the likeliest tokens at each mask token of a text, as Python's {@code FillMaskPipeline}, for a
 * {@code *ForMaskedLM} model. The result has one list of candidates per mask, in text order; its JSON is that one
 * list for a text with a single mask, the list of lists otherwise, as Python returns. Several masks are scored
 * independently (the model's raw per-position probabilities, not joint ones). There is no default model: give a
 * masked-LM checkpoint.
 */
public final class FillMask implements Task<List<List<MaskPrediction>>> {
  /** The task, for {@code PipelineConfig.builder(FillMask.TASK)}. */
  public static final FillMask TASK = new FillMask();

  /** Python's {@code top_k}: candidates per mask, best first (default 5). */
  public static final TaskOption<Integer> TOP_K =
      TaskOption.positiveInteger("top_k", "Candidates per mask, best first (default 5).", 5);

  /**
   * Python's {@code targets}: the only candidates to score (a word or a list). A target outside the vocabulary
   * stands for its first token, as Python does.
   */
  public static final TaskOption<List<String>> TARGETS =
      StringListOption.of("targets", "Only these candidates (a word or a list); one outside the vocabulary stands for"
          + " its first token.", false, null);

  private static final EncodeOptions NO_SPECIAL_TOKENS = EncodeOptions.builder().addSpecialTokens(false).build();

  @Override
  public String name() {
    return "fill-mask";
  }

  @Override
  public List<TaskOption<?>> options() {
    return List.of(TOP_K, TARGETS);
  }

  /**
   * @throws ModelLoadException if the model is not a masked LM, or its tokenizer defines no mask token
   */
  @Override
  public TaskProcessor<List<List<MaskPrediction>>> processor(TaskContext context) {
    context.requireHead(TaskHead.MASKED_LM);
    Tokenizer tokenizer = context.tokenizer();
    int maskId = tokenizer.maskTokenId().orElseThrow(() -> new ModelLoadException(
        "the tokenizer in " + context.modelDirectory() + " defines no mask_token (tokenizer_config.json), so"
            + " fill-mask can't find what to fill"));
    return new Processor(context, tokenizer, maskId);
  }

  /** A JSON string: fill-mask takes one text per input. */
  @Override
  public TextInput inputFromJson(JsonNode json) {
    return TextInputJson.readText(json);
  }

  /** {@code [{"score", "token", "token_str", "sequence"}, …]} for one mask, a list of those for several. */
  @Override
  public JsonNode toJson(List<List<MaskPrediction>> result) {
    ArrayNode masks = JsonNodeFactory.instance.arrayNode();
    for (List<MaskPrediction> mask : result) {
      ArrayNode candidates = masks.addArray();
      for (MaskPrediction p : mask) {
        candidates.addObject().put("score", p.score()).put("token", p.token()).put("token_str", p.tokenStr())
            .put("sequence", p.sequence());
      }
    }
    return masks.size() == 1 ? masks.get(0) : masks;
  }

  /** The task around one model: a text with masks in, candidates per mask out. */
  private static final class Processor implements TaskProcessor<List<List<MaskPrediction>>> {
    private final TaskContext context;
    private final Tokenizer tokenizer;
    private final int maskId;
    private final MaskedLogitsHead head;

    Processor(TaskContext context, Tokenizer tokenizer, int maskId) {
      this.context = context;
      this.tokenizer = tokenizer;
      this.maskId = maskId;
      this.head = new MaskedLogitsHead(maskId);
    }

    @Override
    public List<Encoding> preprocess(TextInput input, TaskOptions options) {
      Encoding encoding = context.encode(input);
      if (MaskedLogitsHead.positions(encoding, maskId).length == 0) {
        throw new InvalidInputException("has no mask token (" + tokenizer.convertIdsToTokens(new int[] {maskId}).get(0)
            + ") to fill");
      }
      return List.of(encoding);
    }

    @Override
    public MaskedLogitsHead head() {
      return head;
    }

    @Override
    public List<List<MaskPrediction>> postprocess(TextInput input, List<Chunk> chunks, TaskOptions options) {
      Chunk chunk = chunks.get(0);
      int[] ids = chunk.encoding().ids();
      int[] positions = MaskedLogitsHead.positions(chunk.encoding(), maskId);
      Optional<int[]> targets = options.get(TARGETS).map(this::targetIds);
      int topK = options.get(TOP_K).orElseThrow();
      float[][] logits = chunk.output().toFloatArray2D();
      List<List<MaskPrediction>> masks = new ArrayList<>(positions.length);
      for (int m = 0; m < positions.length; m++) {
        double[] probabilities = FunctionToApply.SOFTMAX.apply(logits[m]);
        int[] candidates = targets.orElse(null);
        List<MaskPrediction> predictions = new ArrayList<>(topK);
        for (int token : best(probabilities, candidates, topK)) {
          predictions.add(new MaskPrediction(probabilities[token], token, tokenizer.decode(new int[] {token}, false),
              sequence(ids, positions[m], token, positions.length == 1)));
        }
        masks.add(List.copyOf(predictions));
      }
      return List.copyOf(masks);
    }

    /**
     * The input with {@code token} at {@code position}, decoded without padding; special tokens are left out when
     * there is a single mask (with several, the other masks stay visible), as Python does.
     */
    private String sequence(int[] ids, int position, int token, boolean singleMask) {
      int[] filled = ids.clone();
      filled[position] = token;
      int pad = tokenizer.padTokenId();
      return tokenizer.decode(Arrays.stream(filled).filter(id -> id != pad).toArray(), singleMask);
    }

    /**
     * Python's {@code get_target_ids}: a target's vocabulary id, else the first id it tokenizes to (a target that
     * tokenizes to nothing is dropped); each id once.
     *
     * @throws InvalidInputException if no target is left
     */
    private int[] targetIds(List<String> targets) {
      Set<Integer> ids = new LinkedHashSet<>();
      for (String target : targets) {
        int id = tokenizer.convertTokensToIds(List.of(target))[0];
        if (tokenizer.convertIdsToTokens(new int[] {id}).get(0).equals(target)) {
          ids.add(id);
        } else {
          int[] pieces = tokenizer.encode(TextInput.of(target), NO_SPECIAL_TOKENS).ids();
          if (pieces.length > 0) {
            ids.add(pieces[0]);
          }
        }
      }
      if (ids.isEmpty()) {
        throw new InvalidInputException("'targets' " + targets + " give no token to score");
      }
      return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * The {@code k} likeliest tokens, best first; among {@code candidates} only when given (then at most as many as
     * there are). Ties keep candidate (or vocabulary) order.
     */
    private static int[] best(double[] probabilities, int[] candidates, int k) {
      int available = candidates == null ? probabilities.length : candidates.length;
      int[] top = new int[Math.min(k, available)];
      int filled = 0;
      for (int c = 0; c < available; c++) {
        int token = candidates == null ? c : candidates[c];
        double p = probabilities[token];
        if (filled == top.length && p <= probabilities[top[filled - 1]]) {
          continue;
        }
        int at = filled == top.length ? filled - 1 : filled++;
        while (at > 0 && probabilities[top[at - 1]] < p) {
          top[at] = top[at - 1];
          at--;
        }
        top[at] = token;
      }
      return top;
    }
  }
}
