package io.github.ailabkit.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.ailabkit.AILabClient;
import io.github.ailabkit.testing.LogCapture;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The simulator's lifecycle and configuration: where it listens, which key it takes, which threads it owns. */
class AILabSimulatorTest {

  @Test
  void startListensOnAFreeLoopbackPortWithTheDefaultKey() {
    try (AILabSimulator sim = AILabSimulator.start()) {
      assertThat(sim.port()).isPositive();
      assertThat(sim.baseUrl()).isEqualTo("http://127.0.0.1:" + sim.port());
      assertThat(sim.apiKey()).isEqualTo(AILabSimulator.DEFAULT_API_KEY).isEqualTo("sim-local-key");
    }
  }

  @Test
  void twoSimulatorsRunSideBySide() {
    try (AILabSimulator first = AILabSimulator.start(); AILabSimulator second = AILabSimulator.start()) {
      assertThat(first.port()).isNotEqualTo(second.port());
    }
  }

  @Test
  void closeStopsEveryThreadItStarted() {
    AILabSimulator sim = AILabSimulator.builder().apiKey("sim-key").start();
    try (AILabClient client = Fixtures.client(sim)) {
      sim.faults().delay(Duration.ofMillis(1));
      for (int i = 0; i < 20; i++) {
        client.credits();
      }
      assertThat(simulatorThreads()).isNotEmpty();
    } finally {
      sim.close();
    }

    // A terminated pool's threads may still be on their way out for a moment: give each up to 2 s.
    for (Thread thread : simulatorThreads()) {
      joinQuietly(thread);
    }
    assertThat(simulatorThreads()).isEmpty();
    sim.close(); // again: nothing happens
    assertThat(sim.toString()).contains("closed");
  }

  @Test
  void workerThreadsAreNamedDaemonsAndBounded() throws Exception {
    try (AILabSimulator sim = AILabSimulator.start(); AILabClient client = Fixtures.client(sim)) {
      List<CompletableFuture<?>> calls = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        calls.add(CompletableFuture.runAsync(client::credits));
      }
      CompletableFuture.allOf(calls.toArray(new CompletableFuture<?>[0])).get();
      List<Thread> workers = simulatorThreads().stream()
          .filter(t -> t.getName().matches("ailab-simulator-\\d+")).collect(Collectors.toList());
      assertThat(workers).isNotEmpty().hasSizeLessThanOrEqualTo(AILabSimulator.WORKER_THREADS)
          .allMatch(Thread::isDaemon);
    }
  }

  @Test
  void toStringNamesTheUrlButNeverTheKey() {
    try (AILabSimulator sim = AILabSimulator.builder().apiKey("secret-sim-key-42").start()) {
      assertThat(sim.toString()).contains(sim.baseUrl()).doesNotContain("secret-sim-key-42");
    }
  }

  @Test
  void logsEachRequestAtDebugWithoutTheKey() {
    try (AILabSimulator sim = AILabSimulator.builder().apiKey("secret-sim-key-42").start();
         AILabClient client = Fixtures.client(sim);
         LogCapture log = LogCapture.capture("io.github.ailabkit.simulator")) {
      client.credits();

      assertThat(log.text()).contains("GET /api/common/query-credits -> 200").doesNotContain("secret-sim-key-42");
      assertThat(log.lines()).allMatch(line -> line.contains("DEBUG"));
    }
  }

  @Test
  void builderRejectsInvalidSettings() {
    AILabSimulator.Builder builder = AILabSimulator.builder();
    assertThatThrownBy(() -> builder.apiKey(" ")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.apiKey("two words")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.queuedFor(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.processingFor(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> builder.credits(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.port(70_000)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.clock(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void startFailsClearlyWhenThePortIsTaken() {
    try (AILabSimulator sim = AILabSimulator.start()) {
      assertThatThrownBy(() -> AILabSimulator.builder().port(sim.port()).start())
          .isInstanceOf(UncheckedIOException.class)
          .hasMessageContaining("port " + sim.port());
    }
  }

  private static void joinQuietly(Thread thread) {
    try {
      thread.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static List<Thread> simulatorThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith("ailab-simulator"))
        .collect(Collectors.toList());
  }
}
