package dev.jtransformers.pipelines.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jtransformers.api.EncodeOptions;
import dev.jtransformers.api.Encoding;
import dev.jtransformers.api.InvalidInputException;
import dev.jtransformers.api.ModelOutput;
import dev.jtransformers.api.TextInput;
import dev.jtransformers.api.Tokenizer;
import dev.jtransformers.architectures.TaskHead;
import dev.jtransformers.heads.OutputHead;
import dev.jtransformers.pipelines.spi.Chunk;
import dev.jtransformers.pipelines.spi.Task;
import dev.jtransformers.pipelines.spi.TaskContext;
import dev.jtransformers.pipelines.spi.TaskOption;
import dev.jtransformers.pipelines.spi.TaskOptions;
import dev.jtransformers.pipelines.spi.TaskProcessor;
import dev.jtransformers.pipelines.spi.TextInputJson;
import dev.jtransformers.spi.Head;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalInt;

/**
 * {@code token-classification} (alias {@code ner}): a label per token, or entities grouped from them, as Python's
 * {@code TokenClassificationPipeline}, for a {@code *ForTokenClassification} model. Every option can be given per
 * call. With {@code stride}, a text longer than the model's limit runs as overlapping windows whose entities are
 * merged (where two overlap, the longer one, or on a tie the higher-scoring one, is kept). Offsets are into the
 * input text (UTF-16 units). There is no default model: give a token-classification checkpoint.
 */
public final class TokenClassification implements Task<List<Entity>> {
  /** The task, for {@code PipelineConfig.builder(TokenClassification.TASK)}. */
  public static final TokenClassification TASK = new TokenClassification();

  /** Python's {@code aggregation_strategy} (default {@code none}). */
  public static final TaskOption<AggregationStrategy> AGGREGATION_STRATEGY =
      TaskOption.choice("aggregation_strategy", "none, simple, first, average or max: how token labels are fused"
          + " into entities.", AggregationStrategy.class, AggregationStrategy.NONE);

  /** Python's {@code ignore_labels}: labels (or entity types) left out of the results (default {@code ["O"]}). */
  public static final TaskOption<List<String>> IGNORE_LABELS =
      StringListOption.of("ignore_labels", "Labels left out of the results (a list; default [\"O\"]).", true,
          List.of("O"));

  /**
   * Python's {@code stride}: run a long text as windows of the model's length that share this many tokens, instead
   * of truncating it; needs an aggregation strategy other than {@code none}.
   */
  public static final TaskOption<Integer> STRIDE =
      TaskOption.of("stride", "Run long texts as overlapping windows sharing this many tokens (needs an"
          + " aggregation_strategy other than none).", TokenClassification::readStride, IntNode::valueOf, null);

  @Override
  public String name() {
    return "token-classification";
  }

  @Override
  public List<String> aliases() {
    return List.of("ner");
  }

  @Override
  public List<TaskOption<?>> options() {
    return List.of(AGGREGATION_STRATEGY, IGNORE_LABELS, STRIDE);
  }

  @Override
  public TaskProcessor<List<Entity>> processor(TaskContext context) {
    context.requireHead(TaskHead.TOKEN_CLASSIFICATION);
    Head head = new OutputHead(ModelOutput.LOGITS, 3);
    return new Processor(context, head, context.labels(head));
  }

  /** A JSON string: token-classification takes one text per input, no pairs. */
  @Override
  public TextInput inputFromJson(JsonNode json) {
    return TextInputJson.readText(json);
  }

  /**
   * {@code [{"entity", "score", "index", "word", "start", "end"}, …]} without aggregation, else {@code
   * [{"entity_group", "score", "word", "start", "end"}, …]}.
   */
  @Override
  public JsonNode toJson(List<Entity> result) {
    ArrayNode entities = JsonNodeFactory.instance.arrayNode();
    for (Entity entity : result) {
      ObjectNode node = entities.addObject();
      node.put(entity.isGroup() ? "entity_group" : "entity", entity.label()).put("score", entity.score());
      entity.index().ifPresent(index -> node.put("index", index));
      node.put("word", entity.word()).put("start", entity.start()).put("end", entity.end());
    }
    return entities;
  }

  private static Integer readStride(JsonNode node) {
    if (!node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() < 0) {
      throw new IllegalArgumentException("must be a number of tokens (0 or more), got " + node);
    }
    return node.intValue();
  }

  /** The task around one model: windows in, entities out. */
  private static final class Processor implements TaskProcessor<List<Entity>> {
    private final TaskContext context;
    private final Tokenizer tokenizer;
    private final Head head;
    private final List<String> labels;

    Processor(TaskContext context, Head head, List<String> labels) {
      this.context = context;
      this.tokenizer = context.tokenizer();
      this.head = head;
      this.labels = labels;
    }

    @Override
    public List<Encoding> preprocess(TextInput input, TaskOptions options) {
      if (input.isPair()) {
        throw new InvalidInputException("is a text pair; token-classification takes one text");
      }
      OptionalInt stride = options.get(STRIDE).map(OptionalInt::of).orElse(OptionalInt.empty());
      if (stride.isEmpty()) {
        return List.of(context.encode(input));
      }
      if (options.get(AGGREGATION_STRATEGY).orElseThrow() == AggregationStrategy.NONE) {
        throw new InvalidInputException("'stride' needs an aggregation_strategy other than none, so that the"
            + " windows' entities can be merged");
      }
      if (stride.getAsInt() >= context.maxLength()) {
        throw new InvalidInputException("'stride' (" + stride.getAsInt() + ") must be less than the model's length ("
            + context.maxLength() + ")");
      }
      EncodeOptions windows =
          EncodeOptions.builder()
              .truncation(EncodeOptions.Truncation.LONGEST_FIRST)
              .maxLength(context.maxLength())
              .stride(stride.getAsInt())
              .build();
      Encoding first = tokenizer.encode(input, windows);
      List<Encoding> chunks = new ArrayList<>(1 + first.overflowing().size());
      chunks.add(first);
      chunks.addAll(first.overflowing());
      return chunks;
    }

    @Override
    public Head head() {
      return head;
    }

    @Override
    public List<Entity> postprocess(TextInput input, List<Chunk> chunks, TaskOptions options) {
      AggregationStrategy strategy = options.get(AGGREGATION_STRATEGY).orElseThrow();
      List<String> ignored = options.get(IGNORE_LABELS).orElseThrow();
      List<Entity> entities = new ArrayList<>();
      for (Chunk chunk : chunks) {
        for (Entity entity : aggregate(tokens(input.text(), chunk), strategy)) {
          if (!ignored.contains(entity.label())) {
            entities.add(entity);
          }
        }
      }
      return chunks.size() > 1 ? withoutOverlaps(entities) : entities;
    }

    /**
     * Python's {@code gather_pre_entities}: the window's text tokens with their label probabilities. A token is a
     * sub-word when its vocabulary form is longer or shorter than its source text ({@code ##ing} for {@code ing}), as
     * Python decides for tokenizers with a continuing-subword prefix (WordPiece); an unknown token stands for its
     * source text.
     */
    private List<Token> tokens(String text, Chunk chunk) {
      Encoding encoding = chunk.encoding();
      float[][] logits = chunk.output().toFloatArray2D();
      int[] special = encoding.specialTokensMask();
      int[][] offsets = encoding.offsets();
      List<String> words = encoding.tokens();
      OptionalInt unknown = tokenizer.unknownTokenId();
      List<Token> tokens = new ArrayList<>(encoding.length());
      for (int i = 0; i < encoding.length(); i++) {
        if (special[i] != 0) {
          continue;
        }
        int start = offsets[i][0];
        int end = offsets[i][1];
        String source = text.substring(start, end);
        String word = words.get(i);
        boolean subword = codePoints(word) != codePoints(source);
        if (unknown.isPresent() && encoding.id(i) == unknown.getAsInt()) {
          word = source;
          subword = false;
        }
        tokens.add(new Token(word, softmax(logits[i]), i, start, end, subword));
      }
      return tokens;
    }

    /** Python's {@code aggregate}: labelled tokens, or words, then grouped unless the strategy is none. */
    private List<Entity> aggregate(List<Token> tokens, AggregationStrategy strategy) {
      List<Entity> labelled = new ArrayList<>(tokens.size());
      if (strategy == AggregationStrategy.NONE || strategy == AggregationStrategy.SIMPLE) {
        for (Token token : tokens) {
          int best = argmax(token.scores());
          labelled.add(new Entity(labels.get(best), token.scores()[best], OptionalInt.of(token.index()), token.word(),
              token.start(), token.end()));
        }
      } else {
        labelled = words(tokens, strategy);
      }
      return strategy == AggregationStrategy.NONE ? labelled : groups(labelled);
    }

    /** Python's {@code aggregate_words}: each word (a token and the sub-words after it) with one label. */
    private List<Entity> words(List<Token> tokens, AggregationStrategy strategy) {
      List<Entity> words = new ArrayList<>();
      List<Token> word = new ArrayList<>();
      for (Token token : tokens) {
        if (!word.isEmpty() && !token.subword()) {
          words.add(word(word, strategy));
          word = new ArrayList<>();
        }
        word.add(token);
      }
      if (!word.isEmpty()) {
        words.add(word(word, strategy));
      }
      return words;
    }

    /** Python's {@code aggregate_word}. */
    private Entity word(List<Token> tokens, AggregationStrategy strategy) {
      double[] scores =
          switch (strategy) {
            case FIRST -> tokens.get(0).scores();
            case MAX -> tokens.stream().max(Comparator.comparingDouble(t -> t.scores()[argmax(t.scores())]))
                .orElseThrow().scores();
            case AVERAGE -> mean(tokens);
            default -> throw new IllegalArgumentException(strategy + " does not label whole words");
          };
      int best = argmax(scores);
      return new Entity(labels.get(best), scores[best], OptionalInt.empty(),
          tokenizer.convertTokensToString(tokens.stream().map(Token::word).toList()), tokens.get(0).start(),
          tokens.get(tokens.size() - 1).end());
    }

    /**
     * Python's {@code group_entities}: adjacent entities of one type form a group, unless the next one begins
     * ({@code B-}) another; a label without a {@code B-}/{@code I-} prefix continues.
     */
    private List<Entity> groups(List<Entity> entities) {
      List<Entity> groups = new ArrayList<>();
      List<Entity> group = new ArrayList<>();
      for (Entity entity : entities) {
        if (!group.isEmpty()) {
          String label = entity.label();
          boolean begins = label.startsWith("B-");
          if (begins || !type(label).equals(type(group.get(group.size() - 1).label()))) {
            groups.add(group(group));
            group = new ArrayList<>();
          }
        }
        group.add(entity);
      }
      if (!group.isEmpty()) {
        groups.add(group(group));
      }
      return groups;
    }

    /** Python's {@code group_sub_entities}: the type after the first {@code -} of the first label. */
    private Entity group(List<Entity> entities) {
      String first = entities.get(0).label();
      double score = entities.stream().mapToDouble(Entity::score).average().orElseThrow();
      return new Entity(first.substring(first.indexOf('-') + 1), score, OptionalInt.empty(),
          tokenizer.convertTokensToString(entities.stream().map(Entity::word).toList()), entities.get(0).start(),
          entities.get(entities.size() - 1).end());
    }

    /** The entity type of a label: {@code PER} of {@code B-PER} or {@code I-PER}; a label without them is its own. */
    private static String type(String label) {
      return label.startsWith("B-") || label.startsWith("I-") ? label.substring(2) : label;
    }

    /**
     * Python's {@code aggregate_overlapping_entities}: in start order, of two entities that overlap the longer one
     * is kept, or on equal length the higher-scoring one.
     */
    private static List<Entity> withoutOverlaps(List<Entity> entities) {
      if (entities.isEmpty()) {
        return entities;
      }
      List<Entity> sorted = new ArrayList<>(entities);
      sorted.sort(Comparator.comparingInt(Entity::start));
      List<Entity> kept = new ArrayList<>();
      Entity previous = sorted.get(0);
      for (Entity entity : sorted) {
        if (previous.start() <= entity.start() && entity.start() < previous.end()) {
          int length = entity.end() - entity.start();
          int previousLength = previous.end() - previous.start();
          if (length > previousLength || length == previousLength && entity.score() > previous.score()) {
            previous = entity;
          }
        } else {
          kept.add(previous);
          previous = entity;
        }
      }
      kept.add(previous);
      return kept;
    }

    private static double[] softmax(float[] logits) {
      return FunctionToApply.SOFTMAX.apply(logits);
    }

    private static double[] mean(List<Token> tokens) {
      double[] mean = new double[tokens.get(0).scores().length];
      for (Token token : tokens) {
        for (int i = 0; i < mean.length; i++) {
          mean[i] += token.scores()[i] / tokens.size();
        }
      }
      return mean;
    }

    /** The first index of the largest value, as numpy's {@code argmax}. */
    private static int argmax(double[] values) {
      int best = 0;
      for (int i = 1; i < values.length; i++) {
        if (values[i] > values[best]) {
          best = i;
        }
      }
      return best;
    }

    private static int codePoints(String text) {
      return text.codePointCount(0, text.length());
    }
  }

  /**
   * A text token of one window with its label probabilities.
   *
   * @param index its position in the window
   * @param subword whether it continues the word before it
   */
  private record Token(String word, double[] scores, int index, int start, int end, boolean subword) {}
}
