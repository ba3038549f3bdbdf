package io.github.ailabkit.simulator;

import io.github.ailabkit.AILabClient;
import io.github.ailabkit.Form;
import io.github.ailabkit.TaskPoller;
import io.github.ailabkit.testing.Images;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** What the simulator tests share: an SDK client without retry sleeps, a fast poller, image files. */
final class Fixtures {
  static final Duration QUEUED = Duration.ofSeconds(5);
  static final Duration PROCESSING = Duration.ofSeconds(10);
  static final byte[] JPEG = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 16, 'J', 'F', 'I', 'F', 0, 1};

  private Fixtures() {
  }

  /** A simulator whose tasks are queued 5 s, then processing 10 s, on {@code clock}. */
  static AILabSimulator.Builder simulator(MutableClock clock) {
    return AILabSimulator.builder().clock(clock).queuedFor(QUEUED).processingFor(PROCESSING);
  }

  /** An SDK client for the simulator that never retries (so no test sleeps for a backoff). */
  static AILabClient client(AILabSimulator sim) {
    return AILabClient.builder().apiKey(sim.apiKey()).baseUrl(sim.baseUrl()).maxRetries(0).build();
  }

  /** A poller that polls every 10 ms, fast enough for thousands of polls a second. */
  static TaskPoller poller(AILabClient client) {
    return TaskPoller.builder(client).interval(Duration.ofMillis(10)).maxPollsPerSecond(10_000)
        .maxPollsInFlight(32).build();
  }

  /** A form with a real PNG as {@code image}. */
  static Form imageForm(Path dir) {
    return Form.create().file("image", png(dir));
  }

  static Path png(Path dir) {
    return write(dir.resolve("face.png"), Images.png());
  }

  static Path jpeg(Path dir) {
    return write(dir.resolve("face.jpg"), JPEG);
  }

  static Path write(Path file, byte[] bytes) {
    try {
      return Files.write(file, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
