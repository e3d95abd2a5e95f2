package dev.jtransformers.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import dev.jtransformers.backend.fake.BackendUsingOthers;
import dev.jtransformers.backend.onnx.OnnxBackend;
import dev.jtransformers.finetuning.fake.FineTuningOnOnnx;
import dev.jtransformers.heads.Activation;
import dev.jtransformers.models.ModelConfig;
import dev.jtransformers.models.fake.ModelsUsingAnEngine;
import dev.jtransformers.pipelines.fake.PipelineUsingAnEngine;
import dev.jtransformers.spi.fake.SpiUsingModels;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each rule reports a class that breaks it: the fixtures in this module's test sources (packages {@code *.fake}),
 * imported together with the real main classes, which alone break no rule ({@link ModuleRulesTest}).
 */
class ViolationsAreCaughtTest {
  private static JavaClasses mainClassesAndFixtures;

  /** A rule, a fixture that breaks it and the class whose use breaks it. */
  record Case(ArchRule rule, Class<?> fixture, Class<?> forbidden) {
    @Override
    public String toString() {
      return fixture.getSimpleName() + " using " + forbidden.getSimpleName() + " breaks: " + rule.getDescription();
    }
  }

  @BeforeAll
  static void importMainClassesAndFixtures() {
    ImportOption mainClasses = new ImportOption.DoNotIncludeTests();
    mainClassesAndFixtures =
        ModuleRules.importOurClasses(location -> mainClasses.includes(location) || location.contains("/fake/"));
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case(ModuleRules.LAYERS, BackendUsingOthers.class, Activation.class),
        new Case(ModuleRules.LAYERS, PipelineUsingAnEngine.class, OnnxBackend.class),
        new Case(ModuleRules.LAYERS, SpiUsingModels.class, ModelConfig.class),
        new Case(ModuleRules.API_IS_SELF_CONTAINED, SpiUsingModels.class, ModelConfig.class),
        new Case(ModuleRules.ENGINES_ONLY_IN_BACKENDS, PipelineUsingAnEngine.class, OrtSession.class),
        new Case(ModuleRules.ENGINES_ONLY_IN_BACKENDS, ModelsUsingAnEngine.class, OrtEnvironment.class),
        new Case(ModuleRules.MODELS_AND_ARCHITECTURES_USE_NO_ENGINE, ModelsUsingAnEngine.class, OrtEnvironment.class),
        new Case(ModuleRules.BACKENDS_USE_ONLY_API_MODELS_AND_ARCHITECTURES, BackendUsingOthers.class,
            Activation.class),
        new Case(ModuleRules.BACKENDS_ARE_INDEPENDENT, BackendUsingOthers.class, OnnxBackend.class),
        new Case(ModuleRules.NOTHING_DEPENDS_ON_A_BACKEND, PipelineUsingAnEngine.class, OnnxBackend.class),
        new Case(ModuleRules.FINE_TUNING_TRAINS_ON_PYTORCH_ONLY, FineTuningOnOnnx.class, OnnxBackend.class));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void theRuleNamesTheFixtureAndWhatItUses(Case c) {
    EvaluationResult result = c.rule().evaluate(mainClassesAndFixtures);

    assertTrue(result.hasViolation(), () -> c + ": no violation reported");
    List<String> details = result.getFailureReport().getDetails();
    assertTrue(
        details.stream().anyMatch(d -> d.contains(c.fixture().getName()) && d.contains(c.forbidden().getName())),
        () -> c + ": not reported in " + details);
  }

  @Test
  void everyRuleIsShownToCatchAViolation() {
    Set<ArchRule> shown = new HashSet<>();
    cases().forEach(c -> shown.add(c.rule()));

    assertEquals(Set.copyOf(ModuleRules.all()), shown);
  }
}
