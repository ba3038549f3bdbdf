package io.github.ailabkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.ailabkit.testing.VirtualThreadProbe;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Blocking calls and waits from 10,000 virtual threads never pin their carrier: {@link VirtualThreadProbe}
 * runs in a child JVM of Java 21 or newer and counts {@code jdk.VirtualThreadPinned} JFR events. Every pin
 * fails the test except the JVM's own, which the probe counts apart and this test prints: its I/O poller
 * thread, and the one-time class loading of a fresh JVM (no code of the SDK can avoid those).
 *
 * <p>How the JDK is found, first match wins: the system property {@code ailab.jdk21.home}, the environment
 * variable {@code AILAB_JDK21_HOME}, {@code /usr/lib/jvm/temurin-25-jdk-amd64} (installed on the project's
 * machines), then the JDK running the tests if it is 21 or newer. A candidate counts only if its
 * {@code release} file says {@code JAVA_VERSION} 21 or later. Without one the test is skipped by
 * assumption. CI runs the whole suite on 21 and 25, where the last rule applies.
 */
class VirtualThreadPinningTest {
  private static final Pattern SUMMARY =
      Pattern.compile("calls=(\\d+) waits=(\\d+) started=(\\d+) pinned=(\\d+)"
          + " jdkPollerPinned=(\\d+) classLoadingPinned=(\\d+)");

  @Test
  void tenThousandVirtualThreadsCallAndWaitWithoutPinning(@TempDir Path dir) throws Exception {
    Optional<Path> jdk = javaHome21();
    assumeTrue(jdk.isPresent(), "no JDK 21+ found (set -Dailab.jdk21.home or AILAB_JDK21_HOME)");

    List<String> command = new ArrayList<>(List.of(jdk.get().resolve("bin/java").toString(),
        "-Xmx512m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
        "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
        VirtualThreadProbe.class.getName(), dir.resolve("pinning.jfr").toString()));
    Path output = dir.resolve("probe.out");
    Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    boolean finished = child.waitFor(5, TimeUnit.MINUTES);
    if (!finished) {
      child.destroyForcibly().waitFor();
    }
    String text = Files.readString(output, StandardCharsets.UTF_8);
    assertThat(finished).as("probe finished; output:%n%s", text).isTrue();
    assertThat(child.exitValue()).as("probe exit; output:%n%s", text).isZero();

    Matcher summary = SUMMARY.matcher(text);
    assertThat(summary.find()).as("summary line in:%n%s", text).isTrue();
    System.out.println("VirtualThreadPinningTest on " + jdk.get() + ": " + summary.group());
    int threads = 10_000;
    assertThat(Integer.parseInt(summary.group(1))).as("blocking calls that succeeded").isEqualTo(threads);
    assertThat(Integer.parseInt(summary.group(2))).as("waits that completed").isEqualTo(threads);
    assertThat(Integer.parseInt(summary.group(3))).as("virtual threads JFR saw start").isGreaterThanOrEqualTo(threads);
    assertThat(Integer.parseInt(summary.group(4))).as("jdk.VirtualThreadPinned events; stacks:%n%s", text).isZero();
  }

  static Optional<Path> javaHome21() {
    List<String> candidates = new ArrayList<>();
    candidates.add(System.getProperty("ailab.jdk21.home"));
    candidates.add(System.getenv("AILAB_JDK21_HOME"));
    candidates.add("/usr/lib/jvm/temurin-25-jdk-amd64");
    candidates.add(System.getProperty("java.home"));
    for (String candidate : candidates) {
      if (candidate != null && !candidate.isBlank() && featureVersion(Path.of(candidate)) >= 21
          && new File(candidate, "bin/java").canExecute()) {
        return Optional.of(Path.of(candidate));
      }
    }
    return Optional.empty();
  }

  /** The feature version in a JDK's {@code release} file, e.g. 25 for {@code JAVA_VERSION="25.0.1"}; 0 if unknown. */
  private static int featureVersion(Path home) {
    try {
      for (String line : Files.readAllLines(home.resolve("release"))) {
        Matcher version = Pattern.compile("^JAVA_VERSION=\"(\\d+)").matcher(line);
        if (version.find()) {
          return Integer.parseInt(version.group(1));
        }
      }
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
    return 0;
  }
}
