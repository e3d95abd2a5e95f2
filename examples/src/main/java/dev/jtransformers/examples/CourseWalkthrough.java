package dev.jtransformers.examples;

import dev.jtransformers.api.BatchEncoding;
import dev.jtransformers.api.EncodeOptions;
import dev.jtransformers.api.Encoding;
import dev.jtransformers.api.ModelOutput;
import dev.jtransformers.api.Tensor;
import dev.jtransformers.api.TextInput;
import dev.jtransformers.api.TransformersException;
import dev.jtransformers.pipelines.AutoModel;
import dev.jtransformers.pipelines.AutoModelForSequenceClassification;
import dev.jtransformers.pipelines.AutoTokenizer;
import dev.jtransformers.pipelines.LoadOptions;
import dev.jtransformers.pipelines.PipelineFactory;
import dev.jtransformers.pipelines.tasks.FeatureExtraction;
import dev.jtransformers.pipelines.tasks.FunctionToApply;
import dev.jtransformers.pipelines.tasks.TextClassification;
import dev.jtransformers.tokenizer.ComposedTokenizer;
import dev.jtransformers.tokenizer.Tokenizers;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * What {@code pipeline("sentiment-analysis")} does, by hand: the Hugging Face course's walkthrough (chapter 2,
 * "Behind the pipeline", "Models", "Tokenizers") line by line in Java. The tokenizer turns the course's two
 * sentences into padded {@code input_ids} and an {@code attention_mask}; the base model turns them into hidden
 * states; the classification head turns those into logits, softmax into probabilities, and {@code id2label} into
 * names; finally the model is saved as a model directory. Each step prints what the course prints.
 *
 * <p>Run it after {@code ./mvnw -B -q package -DskipTests}:
 *
 * <pre>
 * java -cp examples/target/jtransformers-examples.jar dev.jtransformers.examples.CourseWalkthrough [checkpoint]
 * </pre>
 *
 * <p>The checkpoint is a model directory or the id of an embedded model. Without one, it is the sentiment classifier
 * in {@code ../shared/models/minilm-l6-sst2} where that folder exists (the system property {@code
 * jtransformers.shared} says where {@code ../shared} is); elsewhere the embedded {@code
 * sentence-transformers/all-MiniLM-L6-v2} runs every step, classifying with the embedded sentiment head.
 */
public final class CourseWalkthrough {
  /** The course's two sentences. */
  public static final List<String> RAW_INPUTS =
      List.of("I've been waiting for a HuggingFace course my whole life.", "I hate this so much!");

  /** The sentence the course splits into tokens and back. */
  public static final String SEQUENCE = "Using a Transformer network is simple";

  /** The course's pair of sentences, encoded together. */
  public static final TextInput PAIR = TextInput.pair("This is the first sentence.", "This is the second one.");

  /** The sentiment classifier inside {@code ../shared}. */
  static final String SHARED_CLASSIFIER = "models/minilm-l6-sst2";

  private CourseWalkthrough() {}

  /**
   * The models the walkthrough runs on.
   *
   * @param base the checkpoint of the tokenizer and base-model steps
   * @param classifier the checkpoint of the classification steps
   * @param head a head trained by this project to classify with instead of the classifier's own, if any
   */
  public record Checkpoints(String base, String classifier, Optional<String> head) {
    public Checkpoints {
      Objects.requireNonNull(base, "base");
      Objects.requireNonNull(classifier, "classifier");
      Objects.requireNonNull(head, "head");
    }

    /** One checkpoint for every step, as in the course. */
    public static Checkpoints of(String checkpoint) {
      return new Checkpoints(checkpoint, checkpoint, Optional.empty());
    }

    /**
     * The shared sentiment classifier when {@code sharedRoot} has it; else the embedded models: the sentence encoder,
     * classifying with the embedded sentiment head.
     */
    public static Checkpoints defaults(Path sharedRoot) {
      Path classifier = sharedRoot.resolve(SHARED_CLASSIFIER).normalize();
      String encoder = FeatureExtraction.DEFAULT_MODEL;
      return Files.isDirectory(classifier)
          ? of(classifier.toString())
          : new Checkpoints(encoder, encoder, Optional.of(TextClassification.DEFAULT_HEAD));
    }
  }

  /**
   * What the classification steps computed.
   *
   * @param logits the head's output, {@code [batch, labels]}
   * @param probabilities softmax of the logits, row by row
   * @param id2label the model's class names by logit index
   * @param predictions the most probable class name of each input
   */
  public record Classification(
      Tensor logits, Tensor probabilities, SortedMap<Integer, String> id2label, List<String> predictions) {
    public Classification {
      Objects.requireNonNull(logits, "logits");
      Objects.requireNonNull(probabilities, "probabilities");
      id2label = Collections.unmodifiableSortedMap(new TreeMap<>(id2label));
      predictions = List.copyOf(predictions);
    }
  }

  /**
   * What the walkthrough computed, step by step.
   *
   * @param checkpoints the models it ran on
   * @param inputs {@link #RAW_INPUTS} tokenized, padded and truncated: {@code input_ids} and {@code attention_mask}
   * @param tokens {@link #SEQUENCE} split into tokens
   * @param ids those tokens' ids
   * @param decoded the ids turned back into text
   * @param pair {@link #PAIR} encoded: {@code input_ids} and {@code token_type_ids}
   * @param lastHiddenState the base model's output for {@code inputs}, {@code [batch, sequence, hidden]}
   * @param classification the classification steps' results
   * @param savedFiles the files saving the model wrote, as relative paths in name order
   */
  public record Result(
      Checkpoints checkpoints,
      BatchEncoding inputs,
      List<String> tokens,
      List<Integer> ids,
      String decoded,
      Encoding pair,
      Tensor lastHiddenState,
      Classification classification,
      List<String> savedFiles) {
    public Result {
      Objects.requireNonNull(checkpoints, "checkpoints");
      Objects.requireNonNull(inputs, "inputs");
      tokens = List.copyOf(tokens);
      ids = List.copyOf(ids);
      Objects.requireNonNull(decoded, "decoded");
      Objects.requireNonNull(pair, "pair");
      Objects.requireNonNull(lastHiddenState, "lastHiddenState");
      Objects.requireNonNull(classification, "classification");
      savedFiles = List.copyOf(savedFiles);
    }
  }

  /**
   * Runs the walkthrough.
   *
   * @param args an optional checkpoint: a model directory or the id of an embedded model
   */
  public static void main(String[] args) throws IOException {
    if (args.length > 1) {
      System.err.println("usage: CourseWalkthrough [checkpoint]");
      System.exit(2);
    }
    Checkpoints checkpoints =
        args.length == 1
            ? Checkpoints.of(args[0])
            : Checkpoints.defaults(Path.of(System.getProperty("jtransformers.shared", "../shared")));
    Path saveDirectory = Files.createTempDirectory("jtransformers-walkthrough-");
    int status = 0;
    try {
      run(checkpoints, saveDirectory, System.out);
    } catch (TransformersException e) {
      System.err.println("error: " + e.getMessage());
      status = 1;
    } finally {
      deleteRecursively(saveDirectory);
    }
    if (status != 0) {
      System.exit(status);
    }
  }

  /**
   * Runs every step, printing what the course prints to {@code out}.
   *
   * @param saveDirectory where the last step saves the model
   * @throws IOException if the model can't be saved
   */
  public static Result run(Checkpoints checkpoints, Path saveDirectory, PrintStream out) throws IOException {
    String checkpoint = checkpoints.base();
    out.println("checkpoint = \"" + checkpoint + "\"");

    // Preprocessing with a tokenizer: tokenizer(raw_inputs, padding=True, truncation=True)
    ComposedTokenizer tokenizer = AutoTokenizer.fromPretrained(checkpoint);
    List<TextInput> rawInputs = RAW_INPUTS.stream().map(TextInput::of).toList();
    BatchEncoding inputs = tokenizer.encodeBatch(rawInputs, paddingAndTruncation(tokenizer));
    step(
        out,
        "tokenizer = AutoTokenizer.fromPretrained(checkpoint)",
        "inputs = tokenizer.encodeBatch(rawInputs, padding LONGEST, truncation LONGEST_FIRST)");
    out.println("input_ids:");
    out.print(rows(inputs.inputIds()));
    out.println("attention_mask:");
    out.print(rows(inputs.attentionMask()));

    // Tokenization, decoding
    List<String> tokens = tokenizer.tokenize(SEQUENCE);
    int[] ids = tokenizer.convertTokensToIds(tokens);
    String decoded = tokenizer.decode(ids, true);
    step(out, "tokens = tokenizer.tokenize(\"" + SEQUENCE + "\")");
    out.println(tokens);
    step(out, "ids = tokenizer.convertTokensToIds(tokens)");
    out.println(Arrays.toString(ids));
    step(out, "tokenizer.decode(ids, true)");
    out.println("\"" + decoded + "\"");

    // Pairs of sentences: token_type_ids tell the model which sentence each token belongs to
    Encoding pair = tokenizer.encode(PAIR, EncodeOptions.DEFAULT);
    step(out, "tokenizer.encode(\"" + PAIR.text() + "\", \"" + PAIR.textPair() + "\")");
    out.println("input_ids:      " + Arrays.toString(pair.ids()));
    out.println("token_type_ids: " + Arrays.toString(pair.typeIds()));

    // Going through the model; saving it
    Tensor lastHiddenState;
    List<String> savedFiles;
    try (AutoModel model = AutoModel.fromPretrained(checkpoint)) {
      lastHiddenState = model.forward(inputs).get(ModelOutput.LAST_HIDDEN_STATE);
      step(
          out,
          "model = AutoModel.fromPretrained(checkpoint)",
          "model.forward(inputs).get(\"last_hidden_state\").shape()");
      out.println(Arrays.toString(lastHiddenState.shape()));

      model.save(saveDirectory);
      savedFiles = files(saveDirectory);
      step(out, "model.save(directory)");
      savedFiles.forEach(out::println);
      if (!savedFiles.contains("model.safetensors")) {
        out.println("(no model.safetensors: " + checkpoint + " ships as an ONNX graph only; this project loads the"
            + " directory again, Python transformers can't)");
      }
    }

    // A model head, and postprocessing
    Classification classification = classify(checkpoints, inputs, out);
    return new Result(
        checkpoints,
        inputs,
        tokens,
        IntStream.of(ids).boxed().toList(),
        decoded,
        pair,
        lastHiddenState,
        classification,
        savedFiles);
  }

  /**
   * The classification steps. Inputs are re-encoded only when the classifier is another checkpoint than the
   * tokenizer's, whose vocabulary may differ.
   */
  private static Classification classify(Checkpoints checkpoints, BatchEncoding inputs, PrintStream out) {
    String classifier = checkpoints.classifier();
    BatchEncoding classifierInputs = inputs;
    if (!classifier.equals(checkpoints.base())) {
      ComposedTokenizer tokenizer = AutoTokenizer.fromPretrained(classifier);
      classifierInputs =
          tokenizer.encodeBatch(RAW_INPUTS.stream().map(TextInput::of).toList(), paddingAndTruncation(tokenizer));
    }
    LoadOptions options =
        checkpoints.head().map(head -> LoadOptions.builder().head(head).build()).orElse(LoadOptions.DEFAULT);
    try (AutoModelForSequenceClassification model =
        AutoModelForSequenceClassification.fromPretrained(classifier, options)) {
      Tensor logits = model.forward(classifierInputs);
      step(
          out,
          checkpoints.head()
              .map(head -> "model = AutoModelForSequenceClassification.fromPretrained(checkpoint,"
                  + " LoadOptions.builder().head(\"" + head + "\").build())")
              .orElse("model = AutoModelForSequenceClassification.fromPretrained(checkpoint)"),
          "logits = model.forward(inputs)");
      out.println("logits.shape(): " + Arrays.toString(logits.shape()));
      out.print(rows(logits.toFloatArray2D()));

      Tensor probabilities = FunctionToApply.SOFTMAX.apply(logits);
      step(out, "predictions = FunctionToApply.SOFTMAX.apply(logits)");
      out.print(rows(probabilities.toFloatArray2D()));

      SortedMap<Integer, String> id2label = model.id2label();
      step(out, "model.id2label()");
      out.println(id2label);
      out.println();

      List<String> predictions = new ArrayList<>();
      float[][] rows = probabilities.toFloatArray2D();
      for (int i = 0; i < rows.length; i++) {
        int best = argmax(rows[i]);
        predictions.add(id2label.get(best));
        out.printf(Locale.ROOT, "%s: %.4f  \"%s\"%n", id2label.get(best), rows[i][best], RAW_INPUTS.get(i));
      }
      return new Classification(logits, probabilities, id2label, predictions);
    }
  }

  /** Python's {@code padding=True, truncation=True}: pad to the longest input, cut at the model's maximum length. */
  private static EncodeOptions paddingAndTruncation(ComposedTokenizer tokenizer) {
    EncodeOptions.Builder options = EncodeOptions.builder().padding(EncodeOptions.Padding.LONGEST);
    // Python truncates nothing when the tokenizer names no maximum length.
    tokenizer
        .modelMaxLength()
        .ifPresent(max -> options.truncation(EncodeOptions.Truncation.LONGEST_FIRST).maxLength(max));
    return options.build();
  }

  /** Prints the Java lines of a step, as a REPL shows them, before what they print. */
  private static void step(PrintStream out, String... code) {
    out.println();
    for (String line : code) {
      out.println(">>> " + line);
    }
  }

  private static int argmax(float[] values) {
    int best = 0;
    for (int i = 1; i < values.length; i++) {
      if (values[i] > values[best]) {
        best = i;
      }
    }
    return best;
  }

  /** One line per row, columns right-aligned, as Python prints a tensor. */
  private static String rows(long[][] matrix) {
    int width =
        Arrays.stream(matrix).flatMapToLong(Arrays::stream).mapToInt(v -> Long.toString(v).length()).max().orElse(1);
    String format = "%" + width + "d";
    return lines(
        Arrays.stream(matrix).map(row -> Arrays.stream(row).mapToObj(v -> String.format(Locale.ROOT, format, v))));
  }

  /** One line per row, four decimals. */
  private static String rows(float[][] matrix) {
    return lines(
        Arrays.stream(matrix)
            .map(row -> IntStream.range(0, row.length).mapToObj(i -> String.format(Locale.ROOT, "%7.4f", row[i]))));
  }

  private static String lines(Stream<Stream<String>> rows) {
    return rows.map(row -> row.collect(Collectors.joining(", ", "[", "]"))).collect(Collectors.joining("\n", "", "\n"));
  }

  /** The regular files under {@code directory}, as relative paths with {@code /} separators, in name order. */
  private static List<String> files(Path directory) throws IOException {
    try (Stream<Path> paths = Files.walk(directory)) {
      return paths
          .filter(Files::isRegularFile)
          .map(path -> directory.relativize(path).toString().replace('\\', '/'))
          .sorted()
          .toList();
    }
  }

  private static void deleteRecursively(Path directory) throws IOException {
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
