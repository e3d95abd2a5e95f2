package dev.jtransformers.architectures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtransformers.api.ModelLoadException;
import dev.jtransformers.models.ModelConfig;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NetworkSpecTest {
  /** Hidden 8 in 2 layers of 2 heads, FFN 16, vocabulary 100, 32 positions, 3 labels. */
  private static ModelConfig config(String modelType, String architecture) {
    return config(modelType, architecture, 2, "gelu");
  }

  private static ModelConfig config(String modelType, String architecture, int heads, String hiddenAct) {
    return ModelConfig.parse(
        """
        {"model_type": "%s", "architectures": ["%s"], "hidden_size": 8, "num_hidden_layers": 2,
         "num_attention_heads": %d, "hidden_act": "%s", "intermediate_size": 16, "vocab_size": 100,
         "max_position_embeddings": 32, "type_vocab_size": 2, "id2label": {"0": "A", "1": "B", "2": "C"}}
        """
            .formatted(modelType, architecture, heads, hiddenAct));
  }

  private static List<String> names(List<Parameter> parameters) {
    return parameters.stream().map(Parameter::name).toList();
  }

  @Test
  void describesABertClassifier() {
    NetworkSpec spec = NetworkSpec.of(config("bert", "BertForSequenceClassification"));

    assertEquals(Architecture.BERT, spec.architecture());
    assertEquals("BertForSequenceClassification", spec.className());
    assertEquals(List.of("input_ids", "attention_mask", "token_type_ids"), spec.inputNames());
    assertEquals(List.of("logits", "last_hidden_state"), spec.outputNames());
    Embeddings embeddings = spec.embeddings();
    assertEquals(Parameter.of("bert.embeddings.word_embeddings.weight", 100, 8), embeddings.words());
    assertEquals(Parameter.of("bert.embeddings.position_embeddings.weight", 32, 8), embeddings.positions());
    assertEquals(
        Optional.of(Parameter.of("bert.embeddings.token_type_embeddings.weight", 2, 8)), embeddings.tokenTypes());
    EncoderLayer last = spec.layers().get(1);
    assertEquals(2, last.attentionHeads());
    assertEquals(Linear.at("bert.encoder.layer.1.intermediate.dense", 8, 16), last.intermediate());
    assertEquals(Parameter.of("bert.encoder.layer.1.output.dense.weight", 8, 16), last.output().weight());
    assertEquals(Activation.GELU, last.activation());
    HeadSpec head = spec.head();
    assertTrue(head.firstTokenOnly());
    assertEquals(
        List.of(HeadLayer.of(Linear.at("bert.pooler.dense", 8, 8), Activation.TANH),
            HeadLayer.of(Linear.at("classifier", 8, 3), Activation.IDENTITY)),
        head.layers());
    assertEquals(5 + 2 * 16 + 4, spec.parameters().size());
  }

  @Test
  void describesADistilBertClassifier() {
    NetworkSpec spec = NetworkSpec.of(config("distilbert", "DistilBertForSequenceClassification"));

    assertEquals(List.of("input_ids", "attention_mask"), spec.inputNames());
    assertEquals(Optional.empty(), spec.embeddings().tokenTypes());
    assertEquals(
        LayerNorm.at("distilbert.transformer.layer.0.sa_layer_norm", 8, 1e-12), spec.layers().get(0).attentionNorm());
    assertEquals(
        List.of(HeadLayer.of(Linear.at("pre_classifier", 8, 8), Activation.RELU),
            HeadLayer.of(Linear.at("classifier", 8, 3), Activation.IDENTITY)),
        spec.head().layers());
  }

  @Test
  void aBareModelHasNoPrefix() {
    NetworkSpec bert = NetworkSpec.of(config("bert", "BertModel"));
    assertEquals("embeddings.word_embeddings.weight", bert.embeddings().words().name());
    assertEquals(List.of("pooler.dense.weight", "pooler.dense.bias"), names(bert.head().parameters()));
    assertEquals(List.of("last_hidden_state", "pooler_output"), bert.outputNames());

    NetworkSpec distilBert = NetworkSpec.of(config("distilbert", "DistilBertModel"));
    assertEquals("transformer.layer.0.attention.q_lin.weight", distilBert.layers().get(0).query().weight().name());
    assertEquals(List.of(), distilBert.head().layers());
    assertEquals(List.of("last_hidden_state"), distilBert.outputNames());
  }

  @Test
  void tiesTheMaskedLmDecoderToTheWordEmbeddings() {
    for (String[] model : new String[][] {{"bert", "BertForMaskedLM"}, {"distilbert", "DistilBertForMaskedLM"}}) {
      NetworkSpec spec = NetworkSpec.of(config(model[0], model[1]));
      Linear decoder = spec.head().layers().get(1).linear();
      assertEquals(spec.embeddings().words(), decoder.weight());
      assertEquals(1, names(spec.parameters()).stream().filter(decoder.weight().name()::equals).count());
    }
    NetworkSpec bert = NetworkSpec.of(config("bert", "BertForMaskedLM"));
    assertEquals(Parameter.of("cls.predictions.bias", 100), bert.head().layers().get(1).linear().bias());
    assertEquals(
        List.of("cls.predictions.transform.dense.weight", "cls.predictions.transform.dense.bias",
            "cls.predictions.transform.LayerNorm.weight", "cls.predictions.transform.LayerNorm.bias"),
        bert.head().layers().get(0).parameters().stream().map(Parameter::name).toList());
    NetworkSpec distilBert = NetworkSpec.of(config("distilbert", "DistilBertForMaskedLM"));
    assertEquals(Parameter.of("vocab_projector.bias", 100), distilBert.head().layers().get(1).linear().bias());
  }

  @Test
  void questionAnsweringSplitsTwoColumnsIntoStartAndEnd() {
    NetworkSpec spec = NetworkSpec.of(config("bert", "BertForQuestionAnswering"));
    assertEquals(List.of(HeadLayer.of(Linear.at("qa_outputs", 8, 2), Activation.IDENTITY)), spec.head().layers());
    assertEquals(List.of("start_logits", "end_logits"), spec.head().outputNames());
  }

  @Test
  void refusesWhatItDoesNotDescribe() {
    var type = assertThrows(ModelLoadException.class, () -> NetworkSpec.of(config("roberta", "RobertaModel")));
    assertEquals(
        "config.json: model_type 'roberta' is not supported; supported: [bert, distilbert]", type.getMessage());
    var activation =
        assertThrows(
            ModelLoadException.class,
            () -> NetworkSpec.of(config("bert", "BertModel", 2, "gelu_new")));
    assertEquals(
        "config.json: hidden_act 'gelu_new' is not supported; supported: gelu, relu, tanh", activation.getMessage());
    var heads =
        assertThrows(
            ModelLoadException.class, () -> NetworkSpec.of(config("bert", "BertModel", 3, "gelu")));
    assertEquals("config.json: 3 attention heads do not split the hidden size 8 evenly", heads.getMessage());
  }
}
