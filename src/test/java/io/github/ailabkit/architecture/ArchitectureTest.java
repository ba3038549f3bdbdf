package io.github.ailabkit.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The SDK's main classes obey every rule of {@link ArchitectureRules}. */
class ArchitectureTest {
  private static final JavaClasses MAIN = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages(ArchitectureRules.ROOT);

  @Test
  void publicSignaturesNameNoInternalOrOkHttpType() {
    ArchitectureRules.PUBLIC_SIGNATURES_NAME_NO_INTERNAL_OR_OKHTTP_TYPE.check(MAIN);
  }

  @Test
  void internalNeverDependsOnOuterPackages() {
    ArchitectureRules.INTERNAL_NEVER_DEPENDS_ON_OUTER_PACKAGES.check(MAIN);
  }

  @Test
  void simulatorUsesOnlyPublicApiAndListedInternals() {
    ArchitectureRules.SIMULATOR_USES_ONLY_PUBLIC_API_AND_LISTED_INTERNALS.check(MAIN);
  }

  @Test
  void noPackageCyclesOutsideTheCore() {
    ArchitectureRules.NO_PACKAGE_CYCLES_OUTSIDE_THE_CORE.check(MAIN);
  }

  @Test
  void coreNeverDependsOnOuterPackages() {
    ArchitectureRules.CORE_NEVER_DEPENDS_ON_OUTER_PACKAGES.check(MAIN);
  }

  @Test
  void noJvmWideSettingChanged() {
    ArchitectureRules.NO_JVM_WIDE_SETTING_CHANGED.check(MAIN);
  }

  @Test
  void theMainClassesWereImported() {
    org.assertj.core.api.Assertions.assertThat(MAIN.contain("io.github.ailabkit.AILabClient")).isTrue();
    org.assertj.core.api.Assertions.assertThat(MAIN.contain("io.github.ailabkit.architecture.ArchitectureTest"))
        .isFalse();
  }
}
