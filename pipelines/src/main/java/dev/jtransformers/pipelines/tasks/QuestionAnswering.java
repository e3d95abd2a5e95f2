package dev.jtransformers.pipelines.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jtransformers.api.EncodeOptions;
import dev.jtransformers.api.Encoding;
import dev.jtransformers.api.InvalidInputException;
import dev.jtransformers.api.ModelLoadException;
import dev.jtransformers.api.TextInput;
import dev.jtransformers.api.Tokenizer;
import dev.jtransformers.pipelines.spi.Chunk;
import dev.jtransformers.pipelines.spi.Task;
import dev.jtransformers.pipelines.spi.TaskContext;
import dev.jtransformers.pipelines.spi.TaskOption;
import dev.jtransformers.pipelines.spi.TaskOptions;
import dev.jtransformers.pipelines.spi.TaskProcessor;
import dev.jtransformers.spi.Head;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;

/**
 * {@code question-answering}: the spans of a context that answer a question, as Python {@code transformers}' {@code
 * QuestionAnsweringPipeline} (4.57) finds them. The input is {@code TextInput.pair(question, context)}, in JSON
 * {@code {"question": …, "context": …}}. A context too long for one window of {@code max_seq_len} tokens is cut into
 * windows sharing {@code doc_stride} tokens, each with the whole question (truncation {@code only_second}); every
 * window is a chunk. Each window's start and end logits become probabilities over its context tokens, the best
 * spans up to {@code max_answer_len} tokens are taken ({@code 2 * top_k + 10} of them when aligned to words), and
 * the answers of all windows are merged: the same text (ignoring case) found again adds its score to the first one. The model must be a {@code *ForQuestionAnswering}.
 *
 * <p>There is no default model: Python's ({@code distilbert-base-cased-distilled-squad}) can't be shipped here.
 */
public final class QuestionAnswering implements Task<List<Answer>> {
  /** The task, for {@code PipelineConfig.builder(QuestionAnswering.TASK)}. */
  public static final QuestionAnswering TASK = new QuestionAnswering();

  /** Python's {@code top_k}: answers per question, best first (default 1). */
  public static final TaskOption<Integer> TOP_K =
      TaskOption.positiveInteger("top_k", "Answers per question, best first.", 1);

  /** Python's {@code doc_stride}; by default half of {@code max_seq_len}, at most 128. */
  public static final TaskOption<Integer> DOC_STRIDE =
      TaskOption.of("doc_stride", "Context tokens that consecutive windows share; default: max_seq_len / 2, at most"
          + " 128.", QuestionAnswering::nonNegative, IntNode::valueOf, null);

  /** Python's {@code max_seq_len}: tokens per window, question included; by default the model's, at most 384. */
  public static final TaskOption<Integer> MAX_SEQ_LEN =
      TaskOption.positiveInteger("max_seq_len", "Tokens per window, question included; default: the model's"
          + " maximum, at most 384.", null);

  /**
   * Python's {@code max_question_len}, accepted for compatibility: like Python with a fast tokenizer, the pipeline
   * never cuts the question.
   */
  public static final TaskOption<Integer> MAX_QUESTION_LEN =
      TaskOption.positiveInteger("max_question_len", "Accepted as Python's; as there (fast tokenizers), the"
          + " question is never cut.", 64);

  /** Python's {@code max_answer_len}: the most tokens of an answer (default 15). */
  public static final TaskOption<Integer> MAX_ANSWER_LEN =
      TaskOption.positiveInteger("max_answer_len", "Most tokens per answer.", 15);

  /** Python's {@code handle_impossible_answer}: also offer the empty answer, scored by each window's first token. */
  public static final TaskOption<Boolean> HANDLE_IMPOSSIBLE_ANSWER =
      TaskOption.flag("handle_impossible_answer", "Also offer the empty answer (no answer in the context).", false);

  /** Python's {@code align_to_words}: widen an answer to the whole words its first and last tokens belong to. */
  public static final TaskOption<Boolean> ALIGN_TO_WORDS =
      TaskOption.flag("align_to_words", "Widen answers to whole words.", true);

  /** Python's cap on the default {@code max_seq_len}. */
  private static final int DEFAULT_MAX_SEQ_LEN = 384;
  /** Python's cap on the default {@code doc_stride}. */
  private static final int DEFAULT_MAX_STRIDE = 128;
  /** Python's starting value of the impossible answer's score: anything is smaller. */
  private static final double NO_NULL_SCORE = 1_000_000;

  private static final EncodeOptions NO_SPECIAL_TOKENS = EncodeOptions.builder().addSpecialTokens(false).build();

  @Override
  public String name() {
    return "question-answering";
  }

  @Override
  public List<TaskOption<?>> options() {
    return List.of(TOP_K, DOC_STRIDE, MAX_SEQ_LEN, MAX_QUESTION_LEN, MAX_ANSWER_LEN, HANDLE_IMPOSSIBLE_ANSWER,
        ALIGN_TO_WORDS);
  }

  @Override
  public TaskProcessor<List<Answer>> processor(TaskContext context) {
    Head head = SpanLogitsHead.of(context.modelDirectory(), context.config(), context.modelOutputs());
    return new Processor(context.tokenizer(), head, context.maxLength(), clsTokenId(context));
  }

  /**
   * Reads {@code {"question": …, "context": …}}, both non-empty strings.
   *
   * @throws IllegalArgumentException saying what was expected
   */
  @Override
  public TextInput inputFromJson(JsonNode json) {
    if (json == null || !json.isObject()) {
      throw new IllegalArgumentException("expected {\"question\": ..., \"context\": ...}, got " + json);
    }
    return TextInput.pair(field(json, "question"), field(json, "context"));
  }

  private static String field(JsonNode json, String name) {
    JsonNode value = json.get(name);
    if (value == null || !value.isTextual() || value.textValue().isEmpty()) {
      throw new IllegalArgumentException("\"" + name + "\" must be a non-empty string, got " + value);
    }
    return value.textValue();
  }

  /** {@code {"score", "start", "end", "answer"}} for one answer, a list of them otherwise, as Python returns. */
  @Override
  public JsonNode toJson(List<Answer> result) {
    if (result.size() == 1) {
      return toJson(result.get(0));
    }
    ArrayNode answers = JsonNodeFactory.instance.arrayNode();
    result.forEach(answer -> answers.add(toJson(answer)));
    return answers;
  }

  private static ObjectNode toJson(Answer answer) {
    return JsonNodeFactory.instance.objectNode()
        .put("score", answer.score())
        .put("start", answer.start())
        .put("end", answer.end())
        .put("answer", answer.answer());
  }

  private static Integer nonNegative(JsonNode node) {
    if (!node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() < 0) {
      throw new IllegalArgumentException("must be a non-negative integer, got " + node);
    }
    return node.intValue();
  }

  /**
   * Python's {@code tokenizer.cls_token_id}: the id of the {@code cls_token} that {@code tokenizer_config.json}
   * (over {@code special_tokens_map.json}) names. Windows keep that token as a candidate, because some models point
   * at it to say the context has no answer.
   */
  private static OptionalInt clsTokenId(TaskContext context) {
    String token = null;
    for (String file : List.of("special_tokens_map.json", "tokenizer_config.json")) {
      Path path = context.modelDirectory().resolve(file);
      if (Files.isRegularFile(path)) {
        JsonNode cls = readJson(path).path("cls_token");
        if (cls.isTextual() || cls.path("content").isTextual()) {
          token = cls.isTextual() ? cls.textValue() : cls.get("content").textValue();
        }
      }
    }
    return token == null ? OptionalInt.empty() : OptionalInt.of(context.tokenizer().convertTokensToIds(List.of(token))[0]);
  }

  private static JsonNode readJson(Path path) {
    try {
      return new ObjectMapper().readTree(path.toFile());
    } catch (IOException e) {
      throw new ModelLoadException("cannot read " + path + ": " + e.getMessage(), e);
    }
  }

  /** The work around one loaded model. */
  private static final class Processor implements TaskProcessor<List<Answer>> {
    private final Tokenizer tokenizer;
    private final Head head;
    private final int maxLength;
    private final OptionalInt clsTokenId;

    Processor(Tokenizer tokenizer, Head head, int maxLength, OptionalInt clsTokenId) {
      this.tokenizer = tokenizer;
      this.head = head;
      this.maxLength = maxLength;
      this.clsTokenId = clsTokenId;
    }

    /** The windows: the question with the first part of the context, then with each further part. */
    @Override
    public List<Encoding> preprocess(TextInput input, TaskOptions options) {
      requireQuestionAndContext(input);
      int maxSeqLen = options.get(MAX_SEQ_LEN).orElse(Math.min(maxLength, DEFAULT_MAX_SEQ_LEN));
      int stride = options.get(DOC_STRIDE).orElse(Math.min(maxSeqLen / 2, DEFAULT_MAX_STRIDE));
      if (maxSeqLen > maxLength) {
        throw new InvalidInputException("max_seq_len " + maxSeqLen + " is longer than the " + maxLength
            + " tokens the model takes");
      }
      if (stride > maxSeqLen) {
        throw new InvalidInputException("doc_stride (" + stride + ") is larger than max_seq_len (" + maxSeqLen + ")");
      }
      EncodeOptions windows =
          EncodeOptions.builder()
              .truncation(EncodeOptions.Truncation.ONLY_SECOND)
              .maxLength(maxSeqLen)
              .stride(stride)
              .build();
      Encoding first;
      try {
        first = tokenizer.encode(input, windows);
      } catch (IllegalArgumentException e) { // the question leaves no room for doc_stride tokens of context
        throw new InvalidInputException("the question is too long for max_seq_len " + maxSeqLen + " with doc_stride "
            + stride + ": " + e.getMessage(), e);
      }
      List<Encoding> chunks = new ArrayList<>(1 + first.overflowing().size());
      chunks.add(first);
      chunks.addAll(first.overflowing());
      return chunks;
    }

    private static void requireQuestionAndContext(TextInput input) {
      if (!input.isPair()) {
        throw new InvalidInputException("question-answering takes a question and a context:"
            + " TextInput.pair(question, context)");
      }
      if (input.text().isEmpty() || input.textPair().isEmpty()) {
        throw new InvalidInputException("the " + (input.text().isEmpty() ? "question" : "context")
            + " must not be empty");
      }
    }

    @Override
    public Head head() {
      return head;
    }

    @Override
    public List<Answer> postprocess(TextInput input, List<Chunk> chunks, TaskOptions options) {
      int topK = options.get(TOP_K).orElseThrow();
      int maxAnswerLen = options.get(MAX_ANSWER_LEN).orElseThrow();
      boolean alignToWords = options.get(ALIGN_TO_WORDS).orElseThrow();
      // As Python: with word alignment, more spans per window, since several may widen to the same words.
      int spansPerWindow = alignToWords ? 2 * topK + 10 : topK;
      int questionTokens = tokenizer.encode(TextInput.of(input.text()), NO_SPECIAL_TOKENS).length();
      String context = input.textPair();
      double nullScore = NO_NULL_SCORE;
      List<Answer> answers = new ArrayList<>();
      for (Chunk chunk : chunks) {
        AnswerWindow window = new AnswerWindow(chunk, questionTokens, clsTokenId);
        nullScore = Math.min(nullScore, window.nullScore());
        for (AnswerWindow.Span span : window.best(spansPerWindow, maxAnswerLen)) {
          int[] chars = window.characters(span, alignToWords);
          merge(answers, context, chars[0], chars[1], span.score());
        }
      }
      if (options.get(HANDLE_IMPOSSIBLE_ANSWER).orElseThrow()) {
        answers.add(new Answer(nullScore, 0, 0, ""));
      }
      answers.sort(Comparator.comparingDouble(Answer::score).reversed()); // stable, as Python's sorted
      return List.copyOf(answers.subList(0, Math.min(topK, answers.size())));
    }

    /** Adds a span's score to an answer of the same text (ignoring case), else adds the span as a new answer. */
    private static void merge(List<Answer> answers, String context, int from, int to, double score) {
      String text = context.substring(from, to);
      String key = text.toLowerCase(Locale.ROOT);
      for (int i = 0; i < answers.size(); i++) {
        if (answers.get(i).answer().toLowerCase(Locale.ROOT).equals(key)) {
          answers.set(i, answers.get(i).plus(score));
          return;
        }
      }
      answers.add(new Answer(score, context.codePointCount(0, from), context.codePointCount(0, to), text));
    }
  }
}
