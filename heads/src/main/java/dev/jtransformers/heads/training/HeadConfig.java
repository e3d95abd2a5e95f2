package dev.jtransformers.heads.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jtransformers.api.ModelLoadException;
import dev.jtransformers.heads.Activation;
import dev.jtransformers.models.Pooling;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The description of a trained head, saved as its {@code head_config.json}: the options it was trained with
 * (shape, labels, pooling, hyper-parameters), its input width, a fingerprint of the training data, how it did
 * on validation, and how a softmax head (logistic regression) trained on the same split did, as the baseline it
 * should beat.
 *
 * <pre>{@code
 * {
 *   "format_version" : 2,
 *   "head_type" : "mlp",                 // or "softmax" (then no hidden_units, activation, dropout)
 *   "hidden_units" : 256,
 *   "activation" : "relu",
 *   "input_dim" : 384,
 *   "pooling" : "mean",
 *   "normalize" : true,
 *   "id2label" : { "0" : "NEGATIVE", "1" : "POSITIVE" },
 *   "training_data" : { "sha256" : "...", "training_examples" : 60000, "validation_examples" : 6000,
 *                       "validation_sentences" : 700 },
 *   "validation_metrics" : { "accuracy" : 0.88, "loss" : 0.30, "sentence_accuracy" : 0.82, "best_epoch" : 7,
 *                            "epochs_run" : 12 },
 *   "baseline" : { "head_type" : "softmax", "accuracy" : 0.86, "loss" : 0.33, "sentence_accuracy" : 0.80,
 *                  "best_epoch" : 9, "epochs_run" : 14 },
 *   "hyper_parameters" : { "learning_rate" : 0.001, "weight_decay" : 1.0E-4, "batch_size" : 32, "max_epochs" : 100,
 *                          "patience" : 5, "validation_fraction" : 0.1, "seed" : 0, "standardize" : true,
 *                          "dropout" : 0.1 }
 * }
 * }</pre>
 *
 * @param options what the head was trained as and with
 * @param inputDim width of the pooled vectors the head takes
 * @param trainingDataSha256 SHA-256 (hex) of the training and validation vectors and labels
 * @param trainingExamples number of examples trained on
 * @param validationExamples number of examples validated on
 * @param validationSentences how many of them are sentences (part of no longer example)
 * @param validation the kept weights' validation results
 * @param baseline the validation results of a softmax head trained on the same examples with the same options; the
 *     head's own for a softmax head
 */
public record HeadConfig(
    TrainingOptions options,
    int inputDim,
    String trainingDataSha256,
    int trainingExamples,
    int validationExamples,
    int validationSentences,
    ValidationMetrics validation,
    ValidationMetrics baseline) {
  /** The version of this layout; a head directory of another version is refused. */
  public static final int FORMAT_VERSION = 2;

  private static final ObjectMapper JSON = new ObjectMapper();

  public HeadConfig {
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(trainingDataSha256, "trainingDataSha256");
    Objects.requireNonNull(validation, "validation");
    Objects.requireNonNull(baseline, "baseline");
    if (inputDim <= 0) {
      throw new IllegalArgumentException("inputDim must be positive, got " + inputDim);
    }
  }

  void write(Path file) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("format_version", FORMAT_VERSION);
    root.put("head_type", options.headType().configName());
    if (options.headType() == HeadType.MLP) {
      root.put("hidden_units", options.hiddenUnits());
      root.put("activation", options.activation().configName());
    }
    root.put("input_dim", inputDim);
    root.put("pooling", options.pooling().configName());
    root.put("normalize", options.normalize());
    ObjectNode id2label = root.putObject("id2label");
    for (int i = 0; i < options.labels().size(); i++) {
      id2label.put(Integer.toString(i), options.labels().get(i));
    }
    ObjectNode data = root.putObject("training_data");
    data.put("sha256", trainingDataSha256);
    data.put("training_examples", trainingExamples);
    data.put("validation_examples", validationExamples);
    data.put("validation_sentences", validationSentences);
    writeMetrics(root.putObject("validation_metrics"), validation);
    writeMetrics(root.putObject("baseline").put("head_type", HeadType.SOFTMAX.configName()), baseline);
    ObjectNode hyper = root.putObject("hyper_parameters");
    hyper.put("learning_rate", options.learningRate());
    hyper.put("weight_decay", options.weightDecay());
    hyper.put("batch_size", options.batchSize());
    hyper.put("max_epochs", options.maxEpochs());
    hyper.put("patience", options.patience());
    hyper.put("validation_fraction", options.validationFraction());
    hyper.put("seed", options.seed());
    hyper.put("standardize", options.standardize());
    if (options.headType() == HeadType.MLP) {
      hyper.put("dropout", options.dropout());
    }
    Files.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
  }

  private static void writeMetrics(ObjectNode node, ValidationMetrics metrics) {
    node.put("accuracy", metrics.accuracy());
    node.put("loss", metrics.loss());
    node.put("sentence_accuracy", metrics.sentenceAccuracy());
    node.put("best_epoch", metrics.bestEpoch());
    node.put("epochs_run", metrics.epochsRun());
  }

  private static ValidationMetrics readMetrics(Fields metrics) {
    return new ValidationMetrics(
        metrics.number("accuracy"),
        metrics.number("loss"),
        metrics.number("sentence_accuracy"),
        metrics.integer("best_epoch"),
        metrics.integer("epochs_run"));
  }

  /**
   * Reads a {@code head_config.json}.
   *
   * @throws ModelLoadException naming the file and the field, if it is missing, malformed or of another version
   */
  static HeadConfig read(Path file) {
    JsonNode root;
    try {
      root = JSON.readTree(Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      throw new ModelLoadException(file + ": no such file", e);
    } catch (IOException e) {
      throw new ModelLoadException(file + ": cannot read head configuration: " + e.getMessage(), e);
    }
    Fields fields = new Fields(file, root, "");
    int version = fields.integer("format_version");
    if (version != FORMAT_VERSION) {
      throw new ModelLoadException(
          file + ": format_version " + version + " is not supported; this version reads " + FORMAT_VERSION);
    }
    Fields hyper = fields.object("hyper_parameters");
    Fields data = fields.object("training_data");
    Fields metrics = fields.object("validation_metrics");
    Fields baseline = fields.object("baseline");
    try {
      TrainingOptions.Builder options =
          TrainingOptions.builder()
              .labels(fields.labels("id2label"))
              .pooling(Pooling.fromConfigName(fields.text("pooling")), fields.bool("normalize"))
              .learningRate(hyper.number("learning_rate"))
              .weightDecay(hyper.number("weight_decay"))
              .batchSize(hyper.integer("batch_size"))
              .maxEpochs(hyper.integer("max_epochs"))
              .patience(hyper.integer("patience"))
              .validationFraction(hyper.number("validation_fraction"))
              .seed(hyper.longInteger("seed"))
              .standardize(hyper.bool("standardize"));
      if (HeadType.fromConfigName(fields.text("head_type")) == HeadType.MLP) {
        options.mlp(
            fields.integer("hidden_units"),
            Activation.fromConfigName(fields.text("activation")),
            hyper.number("dropout"));
      }
      return new HeadConfig(
          options.build(),
          fields.integer("input_dim"),
          data.text("sha256"),
          data.integer("training_examples"),
          data.integer("validation_examples"),
          data.integer("validation_sentences"),
          readMetrics(metrics),
          readMetrics(baseline));
    } catch (IllegalArgumentException e) {
      throw new ModelLoadException(file + ": " + e.getMessage(), e);
    }
  }

  /** Typed access to the fields of one JSON object, with errors that name the file and the field. */
  private record Fields(Path file, JsonNode node, String prefix) {
    Fields {
      if (!node.isObject()) {
        String what = prefix.isEmpty() ? "head configuration" : "'" + prefix.substring(0, prefix.length() - 1) + "'";
        throw new ModelLoadException(file + ": " + what + " must be a JSON object");
      }
    }

    private JsonNode get(String key, boolean valid, String expected) {
      JsonNode value = node.path(key);
      if (!valid) {
        String actual = value.isMissingNode() ? "nothing" : value.toString();
        throw new ModelLoadException(file + ": '" + prefix + key + "' must be " + expected + ", got " + actual);
      }
      return value;
    }

    Fields object(String key) {
      JsonNode value = get(key, node.path(key).isObject(), "an object");
      return new Fields(file, value, prefix + key + ".");
    }

    String text(String key) {
      return get(key, node.path(key).isTextual(), "a string").textValue();
    }

    boolean bool(String key) {
      return get(key, node.path(key).isBoolean(), "true or false").booleanValue();
    }

    int integer(String key) {
      JsonNode value = node.path(key);
      return get(key, value.isIntegralNumber() && value.canConvertToInt(), "an integer").intValue();
    }

    long longInteger(String key) {
      JsonNode value = node.path(key);
      return get(key, value.isIntegralNumber() && value.canConvertToLong(), "an integer").longValue();
    }

    double number(String key) {
      return get(key, node.path(key).isNumber(), "a number").doubleValue();
    }

    /** An {@code id2label} object: keys {@code "0"} to {@code "n-1"}, each mapped to a name. */
    List<String> labels(String key) {
      Fields id2label = object(key);
      List<String> labels = new ArrayList<>();
      for (int i = 0; i < id2label.node().size(); i++) {
        labels.add(id2label.text(Integer.toString(i)));
      }
      return labels;
    }
  }
}
