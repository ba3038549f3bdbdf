package io.github.ailabkit.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each rule of {@link ArchitectureRules}, the very object {@link ArchitectureTest} checks, reports the
 * deliberately broken classes of its fixture package, and only what is broken there.
 */
class ArchitectureRulesFailTest {
  private static final String FIXTURES = "io.github.ailabkit.architecture.fixtures.";

  @Test
  void aPublicSignatureNamingOkHttpOkioOrInternalFails() {
    List<String> violations = violations(ArchitectureRules.PUBLIC_SIGNATURES_NAME_NO_INTERNAL_OR_OKHTTP_TYPE, "leak");

    assertThat(violations).hasSize(3).anyMatch(v -> v.contains("LeakyApi.url() names okhttp3.HttpUrl"))
        .anyMatch(v -> v.contains("LeakyApi.json names io.github.ailabkit.internal.Json"))
        .anyMatch(v -> v.contains("LeakyApi.buffers() names okio.Buffer"))
        .noneMatch(v -> v.contains("privateUrl") || v.contains("packagePrivateUrl") || v.contains("Hidden"));
  }

  @Test
  void internalDependingOnTheSimulatorFails() {
    assertThat(violations(ArchitectureRules.INTERNAL_NEVER_DEPENDS_ON_OUTER_PACKAGES, "inward"))
        .isNotEmpty().allMatch(v -> v.contains("ReachesOut") && v.contains("AILabSimulator"));
  }

  @Test
  void theSimulatorUsingAnUnlistedInternalClassFails() {
    assertThat(violations(ArchitectureRules.SIMULATOR_USES_ONLY_PUBLIC_API_AND_LISTED_INTERNALS, "guest"))
        .isNotEmpty().allMatch(v -> v.contains("Nosy") && v.contains("internal.Backoff"))
        .noneMatch(v -> v.contains("internal.Json"));
  }

  @Test
  void aCycleBetweenPackagesAroundTheCoreFails() {
    List<String> violations = violations(ArchitectureRules.NO_PACKAGE_CYCLES_OUTSIDE_THE_CORE, "cycle");

    assertThat(violations).hasSize(1).allMatch(v -> v.contains("JobStore") && v.contains("JobMetrics"))
        .noneMatch(v -> v.contains("Catalog") || v.contains("Params"));
  }

  @Test
  void theCoreDependingOnAPackageAroundItFails() {
    assertThat(violations(ArchitectureRules.CORE_NEVER_DEPENDS_ON_OUTER_PACKAGES, "around"))
        .isNotEmpty().allMatch(v -> v.contains("GeneratedParams") && v.contains("simulator.Faults"));
  }

  @Test
  void writingASystemPropertyOrAnotherJvmWideSettingFails() {
    assertThat(violations(ArchitectureRules.NO_JVM_WIDE_SETTING_CHANGED, "globals"))
        .hasSize(2).anyMatch(v -> v.contains("System.setProperty")).anyMatch(v -> v.contains("Locale.setDefault"));
  }

  @Test
  void everyRuleAllowsPackagesThatDoNotExistYet() {
    JavaClasses none = new ClassFileImporter().importPackages(FIXTURES + "nothing.here");

    assertThat(none).isEmpty();
    ArchitectureRules.ALL.forEach(rule -> assertThat(rule.evaluate(none).hasViolation()).as(rule.getDescription()).isFalse());
  }

  private static List<String> violations(ArchRule rule, String fixture) {
    JavaClasses classes = new ClassFileImporter().importPackages(FIXTURES + fixture);
    assertThat(classes).as("fixture classes of %s", fixture).isNotEmpty();
    EvaluationResult result = rule.evaluate(classes);
    assertThat(result.hasViolation()).as("%s reports %s", rule.getDescription(), fixture).isTrue();
    return result.getFailureReport().getDetails();
  }
}
