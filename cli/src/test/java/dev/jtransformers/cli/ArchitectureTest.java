package dev.jtransformers.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module rules, checked on the compiled classes of every module (the CLI's classpath holds them all): the API
 * is engine-free and self-contained, nothing depends on a backend, and backends don't depend on each other.
 */
class ArchitectureTest {
  private static final String[] ENGINES = {"ai.onnxruntime..", "ai.djl..", "org.tensorflow..", "org.pytorch.."};
  private static final String BACKENDS = "dev.jtransformers.backend.(*)..";

  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.jtransformers");
  }

  @Test
  void apiDependsOnNothingOfOursNorOnAnyEngine() {
    noClasses()
        .that()
        .resideInAnyPackage("dev.jtransformers.api..", "dev.jtransformers.spi..")
        .should()
        .dependOnClassesThat()
        .resideOutsideOfPackages("dev.jtransformers.api..", "dev.jtransformers.spi..", "java..")
        .check(classes);
  }

  @Test
  void nothingDependsOnABackend() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.jtransformers.backend..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.jtransformers.backend..")
        .check(classes);
  }

  @Test
  void backendsDoNotDependOnEachOther() {
    slices().matching(BACKENDS).should().notDependOnEachOther().check(classes);
  }

  @Test
  void enginesAreUsedOnlyInsideBackends() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.jtransformers.backend..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(ENGINES)
        .check(classes);
  }
}
