package dev.jtransformers.architectures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jtransformers.api.ModelLoadException;
import dev.jtransformers.models.ModelConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TaskHeadTest {
  private static ModelConfig withArchitectures(String architectures) {
    return ModelConfig.parse(
        """
        {"model_type": "bert", "architectures": [%s], "hidden_size": 8, "num_hidden_layers": 1,
         "num_attention_heads": 2, "intermediate_size": 16, "vocab_size": 100, "max_position_embeddings": 32}
        """
            .formatted(architectures));
  }

  @ParameterizedTest
  @CsvSource({
    "tiny-random-bert, SEQUENCE_CLASSIFICATION",
    "tiny-random-distilbert, SEQUENCE_CLASSIFICATION",
    "tiny-random-bert-nli, SEQUENCE_CLASSIFICATION",
    "tiny-random-bert-ner, TOKEN_CLASSIFICATION",
    "tiny-random-distilbert-ner, TOKEN_CLASSIFICATION",
    "tiny-random-bert-qa, QUESTION_ANSWERING",
    "tiny-random-distilbert-qa, QUESTION_ANSWERING",
    "tiny-random-bert-mlm, MASKED_LM",
    "tiny-random-distilbert-mlm, MASKED_LM",
  })
  void followsTheClassOfTheCheckpoint(String model, TaskHead expected) {
    assertEquals(expected, TaskHead.of(ModelConfig.load(SharedFixtures.model(model))));
  }

  @Test
  void aBareModelOrNoClassIsTheBaseModel() {
    assertEquals(TaskHead.BASE, TaskHead.of(withArchitectures("\"BertModel\"")));
    assertEquals(TaskHead.BASE, TaskHead.of(withArchitectures("\"XLMRobertaModel\"")));
    assertEquals(TaskHead.BASE, TaskHead.of(withArchitectures("")));
    assertEquals(TaskHead.TOKEN_CLASSIFICATION, TaskHead.of(withArchitectures("\"RobertaForTokenClassification\"")));
  }

  @Test
  void refusesAClassWithAnotherHead() {
    for (String name : List.of("BertForPreTraining", "BertLMHeadModel", "BertForMultipleChoice")) {
      var e = assertThrows(ModelLoadException.class, () -> TaskHead.of(withArchitectures('"' + name + '"')));
      assertEquals(
          "config.json: architectures names '" + name + "', which has no supported task head; supported: [*Model,"
              + " *ForSequenceClassification, *ForTokenClassification, *ForQuestionAnswering, *ForMaskedLM]",
          e.getMessage());
    }
  }

  @Test
  void listsTheTasksOutputsThenTheHiddenStates() {
    assertEquals(List.of("last_hidden_state", "pooler_output"), TaskHead.BASE.outputNames());
    assertEquals(List.of("logits", "last_hidden_state"), TaskHead.SEQUENCE_CLASSIFICATION.outputNames());
    assertEquals(List.of("logits", "last_hidden_state"), TaskHead.TOKEN_CLASSIFICATION.outputNames());
    assertEquals(List.of("start_logits", "end_logits", "last_hidden_state"), TaskHead.QUESTION_ANSWERING.outputNames());
    assertEquals(List.of("logits", "last_hidden_state"), TaskHead.MASKED_LM.outputNames());
  }

  @Test
  void namesUnnamedGraphOutputsInOrder() {
    // all-MiniLM-L6-v2's ONNX graph
    assertEquals(
        Map.of("output_0", "last_hidden_state", "882", "pooler_output"),
        TaskHead.BASE.assignOutputNames(List.of("output_0", "882")));
    // a token classifier: its rank-3 logits are not hidden states
    assertEquals(
        List.of("logits", "last_hidden_state"),
        List.copyOf(TaskHead.TOKEN_CLASSIFICATION.assignOutputNames(List.of("4021", "4022")).values()));
    // DistilBERT has no pooler
    assertEquals(Map.of("output_0", "last_hidden_state"), TaskHead.BASE.assignOutputNames(List.of("output_0")));
  }

  @Test
  void keepsTheNamesAGraphAlreadyUses() {
    assertEquals(
        List.of("last_hidden_state", "logits"),
        List.copyOf(
            TaskHead.SEQUENCE_CLASSIFICATION.assignOutputNames(List.of("last_hidden_state", "logits")).values()));
    assertEquals(
        List.of("start_logits", "end_logits", "last_hidden_state", "attentions"),
        List.copyOf(
            TaskHead.QUESTION_ANSWERING
                .assignOutputNames(List.of("start_logits", "1", "2", "attentions"))
                .values()));
  }

  @Test
  void refusesARepeatedGraphOutput() {
    var e =
        assertThrows(IllegalArgumentException.class, () -> TaskHead.MASKED_LM.assignOutputNames(List.of("a", "a")));
    assertEquals("graph output 'a' appears twice in [a, a]", e.getMessage());
  }
}
