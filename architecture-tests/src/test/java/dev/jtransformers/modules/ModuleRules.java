package dev.jtransformers.modules;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.List;

/**
 * The module arrows of {@code DESIGN.md}, as ArchUnit rules over the main classes of every module. Each module is
 * known by its packages; where one module's packages lie inside another's ({@code models.embedded} in {@code
 * models}, {@code tokenizer.wordpiece} in {@code tokenizer}, {@code backend.tck} in {@code backend}) the inner
 * module is carved out of the outer one.
 *
 * <p>Modules that are planned but may not exist yet (architectures, the tokenizer core, the hub, more backends) are
 * covered already: their layers are optional, and the other rules name them within selections that are never empty.
 */
final class ModuleRules {
  /** Packages of the inference engines, which only backends may use. */
  private static final String[] ENGINES = {"ai.onnxruntime..", "ai.djl..", "org.tensorflow..", "org.pytorch.."};

  private static final String BACKEND_PACKAGES = "dev.jtransformers.backend..";

  private static final DescribedPredicate<JavaClass> OURS = resideInAPackage("dev.jtransformers..");
  private static final DescribedPredicate<JavaClass> API =
      resideInAnyPackage("dev.jtransformers.api..", "dev.jtransformers.spi..").as("api");
  private static final DescribedPredicate<JavaClass> WORDPIECE =
      resideInAPackage("dev.jtransformers.tokenizer.wordpiece..").as("tokenizer-wordpiece");
  private static final DescribedPredicate<JavaClass> TOKENIZER =
      resideInAPackage("dev.jtransformers.tokenizer..").and(not(WORDPIECE)).as("tokenizer");
  private static final DescribedPredicate<JavaClass> EMBEDDED_MODELS =
      resideInAPackage("dev.jtransformers.models.embedded..").as("models-embedded");
  private static final DescribedPredicate<JavaClass> MODELS =
      resideInAPackage("dev.jtransformers.models..").and(not(EMBEDDED_MODELS)).as("models");
  private static final DescribedPredicate<JavaClass> ARCHITECTURES =
      resideInAPackage("dev.jtransformers.architectures..").as("architectures");
  private static final DescribedPredicate<JavaClass> HUB = resideInAPackage("dev.jtransformers.hub..").as("hub");
  private static final DescribedPredicate<JavaClass> BACKEND_KIT =
      resideInAPackage("dev.jtransformers.backend.tck..").as("backend-tck");
  /** Every backend: {@code dev.jtransformers.backend.onnx}, {@code .pytorch}, {@code .tensorflow}, and any later. */
  private static final DescribedPredicate<JavaClass> BACKENDS =
      resideInAPackage(BACKEND_PACKAGES).and(not(BACKEND_KIT)).as("backends");
  private static final DescribedPredicate<JavaClass> HEADS = resideInAPackage("dev.jtransformers.heads..").as("heads");
  private static final DescribedPredicate<JavaClass> PIPELINES =
      resideInAPackage("dev.jtransformers.pipelines..").as("pipelines");
  private static final DescribedPredicate<JavaClass> SERVER =
      resideInAPackage("dev.jtransformers.server..").as("server");
  private static final DescribedPredicate<JavaClass> SPARK = resideInAPackage("dev.jtransformers.spark..").as("spark");
  private static final DescribedPredicate<JavaClass> FINE_TUNING =
      resideInAPackage("dev.jtransformers.finetuning..").as("fine-tuning");
  /** The one engine that trains: fine-tuning builds on libtorch's autograd. */
  private static final String TRAINING_BACKEND = "dev.jtransformers.backend.pytorch..";
  private static final DescribedPredicate<JavaClass> CLI = resideInAPackage("dev.jtransformers.cli..").as("cli");
  private static final DescribedPredicate<JavaClass> EXAMPLES =
      resideInAPackage("dev.jtransformers.examples..").as("examples");
  private static final DescribedPredicate<JavaClass> BENCHMARKS =
      resideInAPackage("dev.jtransformers.benchmarks..").as("benchmarks");

  /** The libraries an application (server, spark, examples) may use: everything but the backends. */
  private static final String[] LIBRARY_LAYERS = {
    "api", "tokenizer", "tokenizer-wordpiece", "models", "models-embedded", "architectures", "hub", "heads", "pipelines"
  };

  /** What the applications that also run the model server (cli, benchmarks) may use: the libraries and the server. */
  private static final String[] SERVING_LAYERS = {
    "api", "tokenizer", "tokenizer-wordpiece", "models", "models-embedded", "architectures", "hub", "heads", "pipelines",
    "server"
  };

  /** The CLI: what serves, and fine-tuning. */
  private static final String[] CLI_LAYERS = {
    "api", "tokenizer", "tokenizer-wordpiece", "models", "models-embedded", "architectures", "hub", "heads", "pipelines",
    "server", "fine-tuning"
  };

  /** The arrows of DESIGN.md; a class of ours outside every module fails it too. */
  static final ArchRule LAYERS =
      layeredArchitecture()
          .consideringOnlyDependenciesInLayers()
          .layer("api").definedBy(API)
          .optionalLayer("tokenizer").definedBy(TOKENIZER)
          .layer("tokenizer-wordpiece").definedBy(WORDPIECE)
          .layer("models").definedBy(MODELS)
          .layer("models-embedded").definedBy(EMBEDDED_MODELS)
          .optionalLayer("architectures").definedBy(ARCHITECTURES)
          .optionalLayer("hub").definedBy(HUB)
          .layer("backends").definedBy(BACKENDS)
          .layer("backend-tck").definedBy(BACKEND_KIT)
          .layer("heads").definedBy(HEADS)
          .layer("pipelines").definedBy(PIPELINES)
          .layer("server").definedBy(SERVER)
          .layer("spark").definedBy(SPARK)
          .layer("fine-tuning").definedBy(FINE_TUNING)
          .layer("cli").definedBy(CLI)
          .layer("examples").definedBy(EXAMPLES)
          .layer("benchmarks").definedBy(BENCHMARKS)
          .whereLayer("api").mayNotAccessAnyLayer()
          .whereLayer("tokenizer").mayOnlyAccessLayers("api")
          .whereLayer("tokenizer-wordpiece").mayOnlyAccessLayers("api", "tokenizer")
          .whereLayer("models").mayOnlyAccessLayers("api")
          .whereLayer("models-embedded").mayOnlyAccessLayers("api", "models")
          .whereLayer("architectures").mayOnlyAccessLayers("api", "models")
          .whereLayer("hub").mayOnlyAccessLayers("api", "models")
          .whereLayer("backends").mayOnlyAccessLayers("api", "models", "architectures")
          .whereLayer("backend-tck").mayOnlyAccessLayers("api", "models", "models-embedded", "architectures")
          .whereLayer("heads").mayOnlyAccessLayers("api", "models", "architectures")
          .whereLayer("pipelines")
          .mayOnlyAccessLayers("api", "tokenizer", "tokenizer-wordpiece", "models", "models-embedded", "architectures",
              "hub", "heads")
          .whereLayer("server").mayOnlyAccessLayers(LIBRARY_LAYERS)
          .whereLayer("spark").mayOnlyAccessLayers(LIBRARY_LAYERS)
          .whereLayer("fine-tuning")
          .mayOnlyAccessLayers("api", "tokenizer", "tokenizer-wordpiece", "models", "architectures", "heads",
              "pipelines", "backends")
          .whereLayer("cli").mayOnlyAccessLayers(CLI_LAYERS)
          .whereLayer("examples").mayOnlyAccessLayers(LIBRARY_LAYERS)
          .whereLayer("benchmarks").mayOnlyAccessLayers(SERVING_LAYERS)
          .ensureAllClassesAreContainedInArchitecture()
          .as("modules depend on each other only along the arrows of DESIGN.md");

  static final ArchRule API_IS_SELF_CONTAINED =
      noClasses()
          .that(API)
          .should()
          .dependOnClassesThat()
          .resideOutsideOfPackages("dev.jtransformers.api..", "dev.jtransformers.spi..", "java..")
          .as("api depends on nothing of ours and on no engine (on nothing but the JDK)");

  static final ArchRule ENGINES_ONLY_IN_BACKENDS =
      noClasses()
          .that(not(BACKENDS.or(BENCHMARKS)))
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(ENGINES)
          .as("engine libraries are used only inside backends")
          .because("the rest of JTransformers is engine-free; only the benchmarks time a bare engine loop");

  static final ArchRule MODELS_AND_ARCHITECTURES_USE_NO_ENGINE =
      noClasses()
          .that(MODELS.or(EMBEDDED_MODELS).or(ARCHITECTURES))
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(ENGINES)
          .as("models and architectures depend on no engine, so every backend can use them");

  static final ArchRule BACKENDS_USE_ONLY_API_MODELS_AND_ARCHITECTURES =
      noClasses()
          .that(BACKENDS)
          .should()
          .dependOnClassesThat(OURS.and(not(API.or(MODELS).or(ARCHITECTURES).or(BACKENDS))))
          .as("backends depend on api, models and architectures only: not on heads, pipelines, tokenizers, the"
              + " embedded models, the backend kit or the cli");

  static final ArchRule BACKENDS_ARE_INDEPENDENT =
      slices()
          .matching("dev.jtransformers.backend.(*)..")
          .should()
          .notDependOnEachOther()
          .as("no backend depends on another backend or on the backend kit");

  static final ArchRule NOTHING_DEPENDS_ON_A_BACKEND =
      noClasses()
          .that()
          .resideOutsideOfPackage(BACKEND_PACKAGES)
          .and(not(FINE_TUNING))
          .should()
          .dependOnClassesThat()
          .resideInAPackage(BACKEND_PACKAGES)
          .as("nothing depends on a backend or on the backend kit (backends are found with ServiceLoader), but"
              + " fine-tuning on the one that trains");

  static final ArchRule FINE_TUNING_TRAINS_ON_PYTORCH_ONLY =
      noClasses()
          .that(FINE_TUNING)
          .should()
          .dependOnClassesThat(resideInAPackage(BACKEND_PACKAGES).and(not(resideInAPackage(TRAINING_BACKEND))))
          .as("fine-tuning uses the backend that trains (pytorch) and no other");

  private ModuleRules() {}

  /** Every rule. */
  static List<ArchRule> all() {
    return List.of(
        LAYERS,
        API_IS_SELF_CONTAINED,
        ENGINES_ONLY_IN_BACKENDS,
        MODELS_AND_ARCHITECTURES_USE_NO_ENGINE,
        BACKENDS_USE_ONLY_API_MODELS_AND_ARCHITECTURES,
        BACKENDS_ARE_INDEPENDENT,
        NOTHING_DEPENDS_ON_A_BACKEND,
        FINE_TUNING_TRAINS_ON_PYTORCH_ONLY);
  }

  /** Our classes on this module's test classpath, imported with {@code option}. */
  static JavaClasses importOurClasses(ImportOption option) {
    return new ClassFileImporter().withImportOption(option).importPackages("dev.jtransformers");
  }
}
