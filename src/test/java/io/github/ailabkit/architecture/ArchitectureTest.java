package io.github.ailabkit.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.ArchTests;

/**
 * The SDK's main classes obey every rule of {@link ArchitectureRules}, one test per rule (run by
 * ArchUnit's JUnit 5 engine inside {@code mvn verify}).
 */
@AnalyzeClasses(packages = ArchitectureRules.ROOT, importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  @ArchTest
  static final ArchTests RULES = ArchTests.in(ArchitectureRules.class);

  @ArchTest
  static void theMainClassesAndOnlyThemAreChecked(JavaClasses classes) {
    assertThat(classes.contain("io.github.ailabkit.AILabClient")).isTrue();
    assertThat(classes.contain(ArchitectureTest.class)).isFalse();
  }
}
