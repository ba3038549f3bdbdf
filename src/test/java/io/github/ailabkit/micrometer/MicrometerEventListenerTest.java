package io.github.ailabkit.micrometer;

import static io.github.ailabkit.testing.PollScript.error;
import static io.github.ailabkit.testing.PollScript.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.ailabkit.AILabClient;
import io.github.ailabkit.TaskFailedException;
import io.github.ailabkit.TaskPoller;
import io.github.ailabkit.TaskResult;
import io.github.ailabkit.testing.PollScript;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Micrometer binding, read back from a {@link SimpleMeterRegistry} after real calls to a local server. */
class MicrometerEventListenerTest {
  static final String KEY = "sk-metrics-secret-0123456789";
  static final String QUERY = "/api/common/query-async-task-result";

  @StartStop final MockWebServer server = PollScript.newServer();
  final PollScript script = new PollScript();
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  AILabClient client;
  TaskPoller poller;

  @BeforeEach
  void setUp() {
    server.setDispatcher(script);
    client = AILabClient.builder().apiKey(KEY).baseUrl(server.url("/").toString())
        .eventListener(MicrometerEventListener.of(registry)).build();
    poller = TaskPoller.builder(client).interval(Duration.ofMillis(5)).initialDelay(Duration.ZERO)
        .maxPollsPerSecond(1000).build();
  }

  @AfterEach
  void tearDown() {
    script.release();
    client.close();
  }

  @Test
  void requestsAndRetriesAreTimedAndCountedWithTheirTags() {
    script.on("task-1", new MockResponse.Builder(error(429, "", "r")).setHeader("Retry-After", "0").build(),
        error(503, "SERVER_BUSY", "r2"), status("task-1", 1));
    client.getTaskResult("task-1");

    assertThat(registry.get("ailab.client.requests")
        .tags("method", "GET", "endpoint", QUERY, "status", "200", "outcome", "success").timer().count())
        .isEqualTo(1);
    assertThat(registry.get("ailab.client.requests").tags("status", "429", "outcome", "client_error").timer().count())
        .isEqualTo(1);
    assertThat(registry.get("ailab.client.requests").tags("status", "503", "outcome", "server_error").timer().count())
        .isEqualTo(1);
    assertThat(registry.get("ailab.client.retries").tags("endpoint", QUERY, "reason", "throttled").counter().count())
        .isEqualTo(1.0);
    assertThat(registry.get("ailab.client.retries").tags("endpoint", QUERY, "reason", "server_error").counter()
        .count()).isEqualTo(1.0);
  }

  @Test
  void anUnreachableServerIsAnIoError() throws Exception {
    AILabClient offline = AILabClient.builder().apiKey(KEY).baseUrl("http://127.0.0.1:1/").maxRetries(0)
        .eventListener(MicrometerEventListener.of(registry)).build();
    try (offline) {
      assertThatThrownBy(() -> offline.getTaskResult("task-1")).isInstanceOf(io.github.ailabkit.AILabIOException.class);
    }
    assertThat(registry.get("ailab.client.requests").tags("status", "none", "outcome", "io_error").timer().count())
        .isEqualTo(1);
  }

  @Test
  void waitsArePendingWhileTheyRunAndTimedWithTheirOutcomeAndPollCount() throws Exception {
    script.statuses("task-done", 0, 1, 2).on("task-gone", error(404, "TASK_NOT_FOUND", "r")).holdTask("task-held");
    Instant submittedAt = Instant.now().minusSeconds(30);

    CompletableFuture<TaskResult> held = poller.awaitCompletionAsync("task-held");
    assertThat(registry.get("ailab.tasks.pending").gauge().value()).isEqualTo(1.0);

    client.task("task-done", submittedAt).await(poller);
    assertThatThrownBy(() -> poller.awaitCompletion("task-gone")).isInstanceOf(TaskFailedException.class);
    held.cancel(false);
    script.release();

    awaitPending(0);
    assertThat(registry.get("ailab.tasks.duration").tags("outcome", "completed").timer().totalTime(TimeUnit.SECONDS))
        .isGreaterThanOrEqualTo(30.0); // from submission, not from the start of the wait
    assertThat(registry.get("ailab.tasks.duration").tags("outcome", "failed").timer().count()).isEqualTo(1);
    assertThat(registry.get("ailab.tasks.duration").tags("outcome", "cancelled").timer().count()).isEqualTo(1);
    assertThat(registry.get("ailab.tasks.polls").summary().count()).isEqualTo(3);
    assertThat(registry.get("ailab.tasks.polls").summary().max()).isEqualTo(3.0);
  }

  @Test
  void aTimedOutWaitIsTaggedTimeout() throws Exception {
    script.statuses("task-old", 1);
    TaskPoller bounded = TaskPoller.builder(client).initialDelay(Duration.ZERO).timeout(Duration.ofMillis(200)).build();
    assertThatThrownBy(() -> bounded.awaitCompletion("task-old"))
        .isInstanceOf(io.github.ailabkit.TaskTimeoutException.class);
    awaitPending(0);
    assertThat(registry.get("ailab.tasks.duration").tags("outcome", "timeout").timer().count()).isEqualTo(1);
  }

  @Test
  void noTagValueCarriesTheKeyATaskIdOrAUrl() {
    script.on("task-secret-id-42", error(500, "SERVER_BUSY", "r"), status("task-secret-id-42", 2));
    client.getTaskResult("task-secret-id-42");
    poller.awaitCompletion("task-secret-id-42");
    awaitPending(0);

    assertThat(registry.getMeters()).hasSizeGreaterThanOrEqualTo(5);
    for (Meter meter : registry.getMeters()) {
      for (Tag tag : meter.getId().getTags()) {
        assertThat(tag.getValue()).as(meter.getId().getName() + " tag " + tag.getKey())
            .doesNotContain(KEY).doesNotContain("task-secret").doesNotContain("://").doesNotContain("127.0.0.1")
            .doesNotContain("?").doesNotContain(String.valueOf(server.getPort()));
      }
    }
  }

  /** The gauge drops once the waits' end events ran (they follow the futures' completion). */
  private void awaitPending(double expected) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (registry.get("ailab.tasks.pending").gauge().value() != expected && System.nanoTime() < deadline) {
      java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
    }
    assertThat(registry.get("ailab.tasks.pending").gauge().value()).isEqualTo(expected);
  }

  @Test
  void listenersSharingARegistryAddUpTheirPendingWaits() {
    MicrometerEventListener first = MicrometerEventListener.of(registry); // beside the client's own listener
    MicrometerEventListener second = MicrometerEventListener.of(registry);
    Instant now = Instant.now();
    first.onWaitStarted(new io.github.ailabkit.WaitStartedEvent("a", now, now, now.plusSeconds(60)));
    second.onWaitStarted(new io.github.ailabkit.WaitStartedEvent("b", now, now, now.plusSeconds(60)));

    assertThat(registry.get("ailab.tasks.pending").gauge().value()).isEqualTo(2.0);
  }
}
