package dev.jtransformers.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.inject.Guice;
import com.google.inject.Key;
import com.google.inject.name.Names;
import dev.jtransformers.api.BatchEncoding;
import dev.jtransformers.api.EncodeOptions;
import dev.jtransformers.api.Encoding;
import dev.jtransformers.api.InvalidInputException;
import dev.jtransformers.api.ModelLoadException;
import dev.jtransformers.api.ModelOutput;
import dev.jtransformers.api.Pipeline;
import dev.jtransformers.api.TextInput;
import dev.jtransformers.pipelines.spi.Task;
import dev.jtransformers.pipelines.spi.TaskOptions;
import dev.jtransformers.pipelines.spi.TaskRequest;
import dev.jtransformers.pipelines.tasks.Answer;
import dev.jtransformers.pipelines.tasks.QuestionAnswering;
import dev.jtransformers.pipelines.tasks.ZeroShotClassification;
import dev.jtransformers.pipelines.tasks.ZeroShotResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * question-answering and zero-shot-classification give what Python's pipelines gave on the task fixtures ({@code
 * reference.pipeline.jsonl}: 20 calls each, long contexts over several windows among them), however the pipeline is
 * assembled, and say clearly when a model doesn't fit.
 */
class QuestionAnsweringAndZeroShotTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"tiny-random-bert-qa", "tiny-random-distilbert-qa", "tiny-random-bert-nli"})
  void everyReferenceCallMatchesPython(String name) {
    Path model = SharedFixtures.require("models/" + name);
    List<JsonNode> calls = SharedFixtures.jsonLines(model.resolve("reference.pipeline.jsonl"));
    Task<?> task = TaskRegistry.fromServiceLoader().get(calls.get(0).get("task").asText());
    matchAll(task, model, calls, name);
  }

  /** All calls in one process() (their chunks batched together), then each alone: both give Python's output. */
  private static <O> void matchAll(Task<O> task, Path model, List<JsonNode> calls, String name) {
    try (TaskPipeline<O> pipeline =
        Pipelines.create(PipelineConfig.builder(task).model(model.toString()).backend("onnx").build())) {
      List<O> batched = pipeline.process(ReferenceCalls.requests(task, calls));
      for (int i = 0; i < calls.size(); i++) {
        JsonNode expected = calls.get(i).get("output");
        ReferenceCalls.assertMatches(expected, task.toJson(batched.get(i)), name + " call " + i);
        O alone = pipeline.process(List.of(ReferenceCalls.request(task, calls.get(i)))).get(0);
        ReferenceCalls.assertMatches(expected, task.toJson(alone), name + " call " + i + " alone");
      }
    }
  }

  @Test
  void typedOptionsGiveTheAnswersOfTheKeywordArguments() {
    Path model = SharedFixtures.require("models/tiny-random-bert-qa");
    JsonNode call = SharedFixtures.jsonLines(model.resolve("reference.pipeline.jsonl")).get(4);
    assertEquals(MAPPER.createObjectNode().put("top_k", 3).put("doc_stride", 32).put("max_seq_len", 96),
        call.get("parameters"), "the long context over several windows");
    var config =
        PipelineConfig.builder(QuestionAnswering.TASK)
            .model(model.toString())
            .option(QuestionAnswering.TOP_K, 3)
            .option(QuestionAnswering.DOC_STRIDE, 32)
            .option(QuestionAnswering.MAX_SEQ_LEN, 96)
            .build();
    JsonNode inputs = call.get("inputs");
    try (Pipeline<List<Answer>> qa = Pipelines.create(config)) {
      List<Answer> answers =
          qa.apply(TextInput.pair(inputs.get("question").asText(), inputs.get("context").asText()));
      ReferenceCalls.assertMatches(call.get("output"), QuestionAnswering.TASK.toJson(answers), "typed");
      Answer best = answers.get(0);
      assertEquals(best.answer(), inputs.get("context").asText().substring(best.start(), best.end()));
    }
  }

  @Test
  void configFileGivesTheSameResultsAsTheKeywordArguments() throws IOException {
    Path qaModel = SharedFixtures.require("models/tiny-random-distilbert-qa");
    Path nliModel = SharedFixtures.require("models/tiny-random-bert-nli");
    JsonNode qaCall = SharedFixtures.jsonLines(qaModel.resolve("reference.pipeline.jsonl")).get(12);
    JsonNode nliCall = SharedFixtures.jsonLines(nliModel.resolve("reference.pipeline.jsonl")).get(5);
    Path qaFile = Files.writeString(dir.resolve("qa.yaml"), "task: question-answering\nmodel: " + qaModel
        + "\nbackend: onnx\n" + yaml(qaCall.get("parameters")));
    Path nliFile = Files.writeString(dir.resolve("zero-shot.yaml"), "task: zero-shot-classification\nmodel: "
        + nliModel + "\n" + yaml(nliCall.get("parameters")));
    assertFromFile(qaFile, qaCall);
    assertFromFile(nliFile, nliCall);
  }

  /** Each parameter as a YAML line; YAML reads a JSON value as itself. */
  private static String yaml(JsonNode parameters) {
    StringBuilder lines = new StringBuilder();
    parameters.fields().forEachRemaining(p -> lines.append(p.getKey()).append(": ").append(p.getValue()).append('\n'));
    return lines.toString();
  }

  private static <O> void assertFromFile(Path file, JsonNode call) {
    @SuppressWarnings("unchecked") // the file names the task; its results are that task's
    PipelineConfig<O> config = (PipelineConfig<O>) PipelineConfig.load(file);
    try (TaskPipeline<O> pipeline = Pipelines.create(config)) {
      O result = pipeline.process(List.of(new TaskRequest(config.task().inputFromJson(call.get("inputs")),
          TaskOptions.parameters(config.task()).build()))).get(0);
      ReferenceCalls.assertMatches(call.get("output"), config.task().toJson(result), file.getFileName().toString());
    }
  }

  @Test
  void guiceInjectsAZeroShotPipelineWhoseCallsChooseTheirLabels() {
    Path model = SharedFixtures.require("models/tiny-random-bert-nli");
    List<JsonNode> calls = SharedFixtures.jsonLines(model.resolve("reference.pipeline.jsonl"));
    var config = PipelineConfig.builder(ZeroShotClassification.TASK).model(model.toString()).build();
    var injector = Guice.createInjector(new PipelineModule().withPipeline("topics", config));
    @SuppressWarnings("unchecked") // bound from a zero-shot configuration
    TaskPipeline<ZeroShotResult> topics =
        (TaskPipeline<ZeroShotResult>) injector.getInstance(Key.get(Pipeline.class, Names.named("topics")));
    try (topics) {
      List<ZeroShotResult> results = topics.process(ReferenceCalls.requests(ZeroShotClassification.TASK, calls));
      for (int i = 0; i < calls.size(); i++) {
        ReferenceCalls.assertMatches(
            calls.get(i).get("output"), ZeroShotClassification.TASK.toJson(results.get(i)), "guice call " + i);
      }
    }
  }

  @Test
  void aModelWithTheWrongHeadIsAnErrorNamingItsArchitecture() {
    Path nli = SharedFixtures.require("models/tiny-random-bert-nli");
    Path qa = SharedFixtures.require("models/tiny-random-distilbert-qa");
    Path sentiment = SharedFixtures.require("models/minilm-l6-sst2");
    ModelLoadException classifierForQa = assertThrows(ModelLoadException.class,
        () -> Pipelines.create(PipelineConfig.builder(QuestionAnswering.TASK).model(nli.toString()).build()));
    assertTrue(classifierForQa.getMessage().contains("BertForSequenceClassification"), classifierForQa.getMessage());
    ModelLoadException qaForZeroShot = assertThrows(ModelLoadException.class,
        () -> Pipelines.create(PipelineConfig.builder(ZeroShotClassification.TASK).model(qa.toString()).build()));
    assertTrue(qaForZeroShot.getMessage().contains("DistilBertForQuestionAnswering"), qaForZeroShot.getMessage());
    ModelLoadException noEntailment = assertThrows(ModelLoadException.class,
        () -> Pipelines.create(PipelineConfig.builder(ZeroShotClassification.TASK).model(sentiment.toString()).build()));
    assertTrue(noEntailment.getMessage().contains("entailment") && noEntailment.getMessage().contains("POSITIVE"),
        noEntailment.getMessage());
    ModelLoadException auto = assertThrows(ModelLoadException.class,
        () -> AutoModelForQuestionAnswering.fromPretrained(nli.toString()));
    assertTrue(auto.getMessage().contains("BertForSequenceClassification"), auto.getMessage());
  }

  @Test
  void tasksWithoutADefaultModelSayHowToGiveOne() {
    for (Task<?> task : List.of(QuestionAnswering.TASK, ZeroShotClassification.TASK)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> Pipelines.create(PipelineConfig.builder(task).build()));
      assertTrue(e.getMessage().contains(task.name() + " has no default model") && e.getMessage().contains("--model"),
          e.getMessage());
    }
  }

  @Test
  void badCallsAreInputErrorsNamingTheArgument() {
    Path qa = SharedFixtures.require("models/tiny-random-bert-qa");
    Path nli = SharedFixtures.require("models/tiny-random-bert-nli");
    try (TaskPipeline<List<Answer>> answers =
            Pipelines.create(PipelineConfig.builder(QuestionAnswering.TASK).model(qa.toString()).build());
        TaskPipeline<ZeroShotResult> topics =
            Pipelines.create(PipelineConfig.builder(ZeroShotClassification.TASK).model(nli.toString()).build())) {
      TaskOptions strideTooLong = TaskOptions.parameters(QuestionAnswering.TASK)
          .set("doc_stride", MAPPER.valueToTree(100)).set("max_seq_len", MAPPER.valueToTree(64)).build();
      InvalidInputException stride = assertThrows(InvalidInputException.class,
          () -> answers.process(List.of(new TaskRequest(TextInput.pair("Who?", "A man."), strideTooLong))));
      assertTrue(stride.getMessage().contains("doc_stride (100) is larger than max_seq_len (64)"), stride.getMessage());
      assertThrows(InvalidInputException.class, () -> answers.apply(TextInput.of("no context")));
      InvalidInputException labels = assertThrows(InvalidInputException.class,
          () -> topics.apply(TextInput.of("A man is playing a flute.")));
      assertTrue(labels.getMessage().contains("candidate_labels"), labels.getMessage());
    }
    IllegalArgumentException noContext = assertThrows(IllegalArgumentException.class,
        () -> QuestionAnswering.TASK.inputFromJson(MAPPER.createObjectNode().put("question", "Who?")));
    assertTrue(noContext.getMessage().contains("\"context\""), noContext.getMessage());
    IllegalArgumentException template = assertThrows(IllegalArgumentException.class,
        () -> TaskOptions.parameters(ZeroShotClassification.TASK)
            .set("hypothesis_template", MAPPER.valueToTree("No field here.")));
    assertTrue(template.getMessage().contains("hypothesis_template"), template.getMessage());
  }

  @Test
  void commaSeparatedLabelsAreTheListOfLabels() {
    var labels = ZeroShotClassification.CANDIDATE_LABELS;
    assertEquals(List.of("music", "politics", "food"), labels.parse(" music, politics,,food "));
    assertEquals(List.of(" music"), labels.fromJson(MAPPER.valueToTree(List.of(" music"))), "a list stays as given");
  }

  /**
   * The step-by-step model gives the logits the pipeline decodes: the best span by start plus end logit over the
   * context (softmax keeps the order) is the pipeline's answer.
   */
  @Test
  void autoModelForQuestionAnsweringGivesTheLogitsOfThePipelinesAnswer() {
    Path model = SharedFixtures.require("models/tiny-random-bert-qa");
    JsonNode call = SharedFixtures.jsonLines(model.resolve("reference.pipeline.jsonl")).get(5);
    String question = call.get("inputs").get("question").asText();
    String context = call.get("inputs").get("context").asText();
    var tokenizer = AutoTokenizer.fromPretrained(model.toString());
    BatchEncoding batch = tokenizer.encodeBatch(List.of(TextInput.pair(question, context)), EncodeOptions.DEFAULT);
    try (AutoModelForQuestionAnswering qa = AutoModelForQuestionAnswering.fromPretrained(model.toString())) {
      ModelOutput outputs = qa.forward(batch);
      float[] start = outputs.get(ModelOutput.START_LOGITS).toFloatArray();
      float[] end = outputs.get(ModelOutput.END_LOGITS).toFloatArray();
      Encoding encoding = batch.get(0);
      int firstContextToken = tokenizer.encode(TextInput.of(question), EncodeOptions.builder()
          .addSpecialTokens(false).build()).length();
      int[] best = {0, 0};
      for (int s = firstContextToken; s < start.length; s++) {
        for (int e = s; e < Math.min(start.length, s + 15); e++) {
          if (start[s] + end[e] > start[best[0]] + end[best[1]] || best[0] == 0) {
            best = new int[] {s, e};
          }
        }
      }
      int[][] offsets = encoding.offsets();
      assertEquals(call.get("output").get("start").asInt(), offsets[best[0]][0]);
      assertEquals(call.get("output").get("end").asInt(), offsets[best[1]][1]);
    }
  }
}
