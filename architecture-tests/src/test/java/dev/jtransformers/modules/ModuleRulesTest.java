package dev.jtransformers.modules;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The module rules hold on the main classes of every module (this module depends on all of them). */
class ModuleRulesTest {
  private static JavaClasses mainClasses;

  @BeforeAll
  static void importMainClasses() {
    mainClasses = ModuleRules.importOurClasses(new ImportOption.DoNotIncludeTests());
  }

  static List<ArchRule> rules() {
    return ModuleRules.all();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rules")
  void holds(ArchRule rule) {
    rule.check(mainClasses);
  }
}
