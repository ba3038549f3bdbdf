package io.github.ailabkit.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Memory is bounded by work, not by bytes on the wire: in a child JVM with a 256 MB heap, eight threads at
 * once read answers that are a few KB gzipped and just under the 16 MiB cap decoded, each built to cost
 * the most per byte (empty objects, zeros, one long string, deep nesting, ever new field names, a huge
 * number). Every call ends in a typed exception and no thread meets an {@link OutOfMemoryError}; before
 * the parsing limits, one such answer took about 476 MB.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class HostileMemoryTest {
  @Test
  void eightConcurrentHostileAnswersInA256MbHeapEndInTypedExceptions() throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(List.of(java, "-Xmx256m", "-XX:+UseSerialGC",
            "-cp", System.getProperty("java.class.path"), HostileMemoryProbe.class.getName()))
        .redirectErrorStream(true)
        .start();
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    boolean ended = child.waitFor(5, TimeUnit.MINUTES);
    if (!ended) {
      child.destroyForcibly();
    }

    assertThat(ended).as("the probe ended").isTrue();
    assertThat(output).contains("no OutOfMemoryError").doesNotContain("untyped").doesNotContain("returned");
    assertThat(child.exitValue()).as(output).isZero();
  }
}
