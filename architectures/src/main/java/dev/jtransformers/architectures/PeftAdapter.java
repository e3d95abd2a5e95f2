package dev.jtransformers.architectures;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jtransformers.api.ModelLoadException;
import dev.jtransformers.api.Tensor;
import dev.jtransformers.models.JsonFiles;
import dev.jtransformers.models.safetensors.SafetensorsFile;
import dev.jtransformers.models.safetensors.Dtype;
import dev.jtransformers.models.safetensors.SafetensorsWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A LoRA adapter in Python {@code peft}'s format: {@value #CONFIG_FILE} (the {@link LoraConfig}, the task and the
 * base model) and {@value #WEIGHTS_FILE}, whose tensors are named as {@code peft} saves them: {@code
 * base_model.model.<module>.lora_A.weight} {@code [rank, inputs]} and {@code ...lora_B.weight} {@code [outputs,
 * rank]} per targeted linear layer, and {@code base_model.model.<parameter>} for each parameter of the modules to
 * save. {@code peft}'s {@code PeftModel.from_pretrained} loads such a directory onto the base model. Immutable.
 */
public final class PeftAdapter {
  /** The adapter's configuration file. */
  public static final String CONFIG_FILE = "adapter_config.json";
  /** The adapter's tensors. */
  public static final String WEIGHTS_FILE = "adapter_model.safetensors";

  private static final String PREFIX = "base_model.model.";
  private static final String LORA_A = ".lora_A.weight";
  private static final String LORA_B = ".lora_B.weight";

  private final LoraConfig config;
  private final String taskType;
  private final String baseModel;
  private final Map<String, Tensor> loraA;
  private final Map<String, Tensor> loraB;
  private final Map<String, Tensor> saved;

  private PeftAdapter(
      LoraConfig config,
      String taskType,
      String baseModel,
      Map<String, Tensor> loraA,
      Map<String, Tensor> loraB,
      Map<String, Tensor> saved) {
    this.config = config;
    this.taskType = taskType;
    this.baseModel = baseModel;
    this.loraA = Map.copyOf(loraA);
    this.loraB = Map.copyOf(loraB);
    this.saved = Map.copyOf(saved);
  }

  /**
   * An adapter of trained tensors.
   *
   * @param taskType {@code peft}'s task type: {@link #taskType(TaskHead)}
   * @param baseModel the base model's id or directory, {@code base_model_name_or_path}
   * @param loraA each targeted layer's {@code A [rank, inputs]} by module path ({@link LoraConfig#modulePath})
   * @param loraB each targeted layer's {@code B [outputs, rank]}, the same modules
   * @param saved the modules to save's parameters by checkpoint name
   * @throws IllegalArgumentException if the two sets of modules differ or a matrix's shape does not fit the rank
   */
  public static PeftAdapter of(
      LoraConfig config,
      String taskType,
      String baseModel,
      Map<String, Tensor> loraA,
      Map<String, Tensor> loraB,
      Map<String, Tensor> saved) {
    Objects.requireNonNull(config, "config");
    if (!loraA.keySet().equals(loraB.keySet())) {
      throw new IllegalArgumentException("lora_A modules " + loraA.keySet() + " differ from lora_B's " + loraB.keySet());
    }
    loraA.forEach(
        (module, a) -> {
          Tensor b = loraB.get(module);
          if (a.rank() != 2 || b.rank() != 2 || a.dim(0) != config.rank() || b.dim(1) != config.rank()) {
            throw new IllegalArgumentException(
                module + ": lora_A " + Arrays.toString(a.shape()) + " and lora_B " + Arrays.toString(b.shape())
                    + " do not fit rank " + config.rank());
          }
        });
    return new PeftAdapter(
        config, Objects.requireNonNull(taskType, "taskType"), Objects.requireNonNull(baseModel, "baseModel"),
        loraA, loraB, saved);
  }

  /** {@code peft}'s task type for a head: {@code SEQ_CLS}, {@code TOKEN_CLS}, {@code QUESTION_ANS}... */
  public static String taskType(TaskHead head) {
    return switch (head) {
      case SEQUENCE_CLASSIFICATION -> "SEQ_CLS";
      case TOKEN_CLASSIFICATION -> "TOKEN_CLS";
      case QUESTION_ANSWERING -> "QUESTION_ANS";
      case BASE, MASKED_LM -> "FEATURE_EXTRACTION";
    };
  }

  /** Whether {@code directory} holds an adapter ({@value #CONFIG_FILE}). */
  public static boolean isAdapter(Path directory) {
    return Files.isRegularFile(directory.resolve(CONFIG_FILE));
  }

  /**
   * Reads a LoRA adapter {@code peft} saved, or {@link #save} did.
   *
   * @throws ModelLoadException naming the file, if a file is missing or malformed, the adapter is not LoRA, or a
   *     tensor is not one of LoRA's
   */
  public static PeftAdapter read(Path directory) {
    Path configFile = directory.resolve(CONFIG_FILE);
    JsonNode json = JsonFiles.read(configFile);
    String type = json.path("peft_type").asText("");
    if (!type.equals("LORA")) {
      throw new ModelLoadException(configFile + ": peft_type is '" + type + "'; only LORA adapters are supported");
    }
    LoraConfig config;
    try {
      config =
          new LoraConfig(
              json.path("r").asInt(8),
              json.path("lora_alpha").asDouble(8),
              json.path("lora_dropout").asDouble(0),
              strings(json.path("target_modules")),
              strings(json.path("modules_to_save")));
    } catch (IllegalArgumentException e) {
      throw new ModelLoadException(configFile + ": " + e.getMessage(), e);
    }
    if (!json.path("bias").asText("none").equals("none") || json.path("use_dora").asBoolean(false)
        || json.path("fan_in_fan_out").asBoolean(false)) {
      throw new ModelLoadException(
          configFile + ": only plain LoRA (bias 'none', no DoRA, fan_in_fan_out false) is supported");
    }
    Map<String, Tensor> a = new TreeMap<>();
    Map<String, Tensor> b = new TreeMap<>();
    Map<String, Tensor> saved = new TreeMap<>();
    Path weightsFile = directory.resolve(WEIGHTS_FILE);
    try (SafetensorsFile weights = SafetensorsFile.open(weightsFile)) {
      for (String name : weights.names()) {
        if (!name.startsWith(PREFIX)) {
          throw new ModelLoadException(weightsFile + ": tensor '" + name + "' is not under " + PREFIX);
        }
        String path = name.substring(PREFIX.length());
        if (path.endsWith(LORA_A)) {
          a.put(path.substring(0, path.length() - LORA_A.length()), weights.getFloat(name));
        } else if (path.endsWith(LORA_B)) {
          b.put(path.substring(0, path.length() - LORA_B.length()), weights.getFloat(name));
        } else {
          saved.put(path, weights.getFloat(name));
        }
      }
    }
    try {
      return of(config, json.path("task_type").asText(""), json.path("base_model_name_or_path").asText(""), a, b, saved);
    } catch (IllegalArgumentException e) {
      throw new ModelLoadException(weightsFile + ": " + e.getMessage(), e);
    }
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(value -> values.add(value.asText()));
    return values;
  }

  public LoraConfig config() {
    return config;
  }

  /** {@code peft}'s task type, e.g. {@code SEQ_CLS}; empty if the file gives none. */
  public String taskType() {
    return taskType;
  }

  /** The adapted layers' module paths, sorted. */
  public List<String> modules() {
    return List.copyOf(new TreeMap<>(loraA).keySet());
  }

  /** The saved modules' parameters by checkpoint name. */
  public Map<String, Tensor> savedParameters() {
    return saved;
  }

  /**
   * Writes {@value #CONFIG_FILE} and {@value #WEIGHTS_FILE} into {@code directory}, creating it, the weights as
   * float32.
   *
   * @throws UncheckedIOException naming the file, if it can't be written
   */
  public void save(Path directory) {
    save(directory, Dtype.F32);
  }

  /**
   * Writes {@value #CONFIG_FILE} and {@value #WEIGHTS_FILE} into {@code directory}, creating it, the weights stored
   * as {@code dtype} ({@link Dtype#F16} or {@link Dtype#BF16} halve the file; {@link #read} and peft cast them back
   * to float32).
   *
   * @throws IllegalArgumentException if {@code dtype} is not {@linkplain Dtype#isWritableFromFloat() writable from
   *     float}
   * @throws UncheckedIOException naming the file, if it can't be written
   */
  public void save(Path directory, Dtype dtype) {
    ObjectNode json = JsonFiles.newObject();
    json.put("peft_type", "LORA");
    json.put("task_type", taskType);
    json.put("base_model_name_or_path", baseModel);
    json.put("r", config.rank());
    json.put("lora_alpha", config.alpha());
    json.put("lora_dropout", config.dropout());
    ArrayNode targets = json.putArray("target_modules");
    config.targetModules().forEach(targets::add);
    ArrayNode modules = json.putArray("modules_to_save");
    config.modulesToSave().forEach(modules::add);
    json.put("bias", "none");
    json.put("fan_in_fan_out", false);
    json.put("inference_mode", true);
    json.put("init_lora_weights", true);
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    loraA.forEach((module, a) -> tensors.put(PREFIX + module + LORA_A, a));
    loraB.forEach((module, b) -> tensors.put(PREFIX + module + LORA_B, b));
    saved.forEach((name, value) -> tensors.put(PREFIX + name, value));
    Path configFile = directory.resolve(CONFIG_FILE);
    try {
      Files.createDirectories(directory);
      Files.writeString(configFile, JsonFiles.format(json));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + configFile + ": " + e.getMessage(), e);
    }
    SafetensorsWriter.write(directory.resolve(WEIGHTS_FILE), tensors, Map.of("format", "pt"), dtype);
  }

  /**
   * {@code base} with this adapter merged in, as {@code peft}'s {@code merge_and_unload()} merges it: each adapted
   * layer's weight {@code W + scaling · B A}, each saved parameter the base has in that shape replaced (a bare
   * encoder has no classifier, a classifier of other labels another shape: a head on it takes the adapter's {@link
   * #savedParameters}). An
   * adapter trained on a task model ({@code bert.encoder...}) applies to its bare encoder's weights ({@code
   * encoder...}) too: a name the base lacks is looked up without its first component.
   *
   * @throws ModelLoadException naming the module, if an adapted layer's weight is not in {@code base} or its shape
   *     does not fit the adapter
   */
  public AdaptedWeights mergeInto(Weights base) {
    Objects.requireNonNull(base, "base");
    Map<String, Tensor> replaced = new LinkedHashMap<>();
    for (String module : modules()) {
      String name = baseName(module + ".weight", base);
      if (!base.names().contains(name)) {
        throw new ModelLoadException(
            "the adapter adapts " + module + ", but " + base.path() + " has no weight " + module + ".weight");
      }
      replaced.put(name, merged(base.read(name), loraA.get(module), loraB.get(module), module));
    }
    saved.forEach((name, value) -> {
      String baseName = baseName(name, base);
      if (base.names().contains(baseName) && Arrays.equals(base.shape(baseName), value.shape())) {
        replaced.put(baseName, value);
      }
    });
    return new AdaptedWeights(base, replaced);
  }

  private static String baseName(String name, Weights base) {
    int dot = name.indexOf('.');
    return base.names().contains(name) || dot < 0 || !base.names().contains(name.substring(dot + 1))
        ? name
        : name.substring(dot + 1);
  }

  /** {@code W + scaling · B A}, summed in double. */
  private Tensor merged(Tensor weight, Tensor a, Tensor b, String module) {
    int outputs = b.dim(0);
    int inputs = a.dim(1);
    int rank = config.rank();
    if (weight.rank() != 2 || weight.dim(0) != outputs || weight.dim(1) != inputs) {
      throw new ModelLoadException(
          module + ": the adapter's B A is [" + outputs + ", " + inputs + "], the weight "
              + Arrays.toString(weight.shape()));
    }
    float[] w = weight.toFloatArray();
    float[] av = a.toFloatArray();
    float[] bv = b.toFloatArray();
    double scaling = config.scaling();
    for (int o = 0; o < outputs; o++) {
      for (int i = 0; i < inputs; i++) {
        double delta = 0;
        for (int r = 0; r < rank; r++) {
          delta += (double) bv[o * rank + r] * av[r * inputs + i];
        }
        w[o * inputs + i] = (float) (w[o * inputs + i] + scaling * delta);
      }
    }
    return Tensor.wrap(w, outputs, inputs);
  }
}
