package io.github.ailabkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.ailabkit.testing.LogCapture;
import io.github.ailabkit.testing.PollScript;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Throttling made visible and no needless wait: polls the shared budget holds back are reported to the
 * listener and, at most once a minute, at WARN; a task submitted long ago is polled at once, also when
 * rebuilt from a saved id with {@link AILabClient#task(String, Instant)}.
 */
class PollThrottlingTest {
  static final int TASKS = 8;

  @StartStop final MockWebServer server = PollScript.newServer();
  final PollScript script = new PollScript();
  final List<String> delayed = new CopyOnWriteArrayList<>();
  final List<Duration> effectiveIntervals = new CopyOnWriteArrayList<>();
  final TaskPollListener recorder = new TaskPollListener() {
    @Override
    public void onPollDelayed(String taskId, Duration held, int pendingWaits, Duration effectiveInterval) {
      delayed.add(taskId);
      effectiveIntervals.add(effectiveInterval);
    }
  };
  AILabClient client;

  @BeforeEach
  void setUp() {
    server.setDispatcher(script);
    client = AILabClient.builder().apiKey("test-key").baseUrl(server.url("/").toString()).build();
    for (int i = 0; i < TASKS; i++) {
      script.statuses("task-" + i, 2);
    }
  }

  @AfterEach
  void tearDown() {
    client.close();
  }

  @Test
  void pollsHeldBackByTheRateBudgetAreReportedAndLoggedOnce() throws Exception {
    // 8 polls due at once, 5 allowed per second: all but the first wait 200 ms or more for a permit.
    TaskPoller poller = TaskPoller.builder(client).interval(Duration.ofMillis(10)).initialDelay(Duration.ZERO)
        .maxPollsPerSecond(5).listener(recorder).build();
    try (LogCapture log = LogCapture.capture("io.github.ailabkit.poller")) {
      awaitAll(poller);

      List<String> warnings = log.lines().stream().filter(line -> line.contains("WARN")).toList();
      assertThat(warnings).hasSize(1);
      assertThat(warnings.get(0)).contains("waits pending").contains("instead of every 10 ms")
          .contains("5.0 polls/s").contains("maxPollsPerSecond").contains("maxPollsInFlight");
    }
    assertThat(delayed).hasSizeGreaterThanOrEqualTo(TASKS - 2).doesNotHaveDuplicates();
    assertThat(effectiveIntervals).allSatisfy(interval -> assertThat(interval).isGreaterThan(Duration.ofMillis(100)));
  }

  @Test
  void pollsHeldBackByTheInFlightCapAreReportedToo() throws Exception {
    script.hold(n -> true);
    TaskPoller poller = TaskPoller.builder(client).interval(Duration.ofMillis(10)).initialDelay(Duration.ZERO)
        .maxPollsPerSecond(1000).maxPollsInFlight(1).listener(recorder).build();
    List<CompletableFuture<TaskResult>> waits = start(poller);
    // the first poll holds the only slot until released; the others queue behind it
    awaitCondition(() -> script.total() == 1);
    CompletableFuture<Void> released = CompletableFuture.runAsync(() -> {
      awaitQuietly(150);
      script.release();
    });
    CompletableFuture.allOf(waits.toArray(CompletableFuture<?>[]::new)).get(30, TimeUnit.SECONDS);
    released.get(30, TimeUnit.SECONDS);
    assertThat(delayed).isNotEmpty();
  }

  @Test
  void aGenerousBudgetReportsNothing() throws Exception {
    TaskPoller poller = TaskPoller.builder(client).interval(Duration.ofMillis(10)).initialDelay(Duration.ZERO)
        .maxPollsPerSecond(1000).maxPollsInFlight(TASKS).listener(recorder).build();
    try (LogCapture log = LogCapture.capture("io.github.ailabkit.poller")) {
      awaitAll(poller);
      assertThat(log.lines()).noneMatch(line -> line.contains("held back"));
    }
    assertThat(delayed).isEmpty();
  }

  @Test
  void aTaskSubmittedLongAgoIsPolledAtOnce() throws Exception {
    // An interval of an hour: without the rule the first poll would come an hour from now.
    TaskPoller hourly = TaskPoller.builder(client).interval(Duration.ofHours(1)).build();
    TaskResult result = hourly.awaitCompletionAsync("task-0", Instant.now().minus(Duration.ofHours(2)))
        .get(30, TimeUnit.SECONDS);
    assertThat(result.isCompleted()).isTrue();
    assertThat(script.requests("task-0")).isEqualTo(1);
  }

  @Test
  void aTaskRebuiltFromASavedIdResumesLikeTheFirstWait() throws Exception {
    Instant submittedAt = Instant.now().minus(Duration.ofMinutes(10));
    AsyncTask task = client.task("task-1", submittedAt);

    assertThat(task.taskId()).isEqualTo("task-1");
    assertThat(task.submittedAt()).isEqualTo(submittedAt);
    assertThat(task.expiresAt()).isEqualTo(submittedAt.plus(Duration.ofHours(24)));
    assertThat(task.endpoint()).isNull();
    assertThat(task.requestId()).isEmpty();
    assertThat(task.toString()).contains("task-1").contains("unknown");
    assertThat(task.awaitAsync().get(30, TimeUnit.SECONDS).isCompleted()).isTrue(); // default poller, 5 s interval
    assertThat(script.requests("task-1")).isEqualTo(1);
  }

  @Test
  void aRebuiltTaskPastItsRetentionFailsWithoutPolling() {
    AsyncTask expired = client.task("task-2", Instant.now().minus(Duration.ofHours(25)));
    assertThatThrownBy(expired::await).isInstanceOf(TaskTimeoutException.class).hasMessageContaining("expired");
    assertThat(script.total()).isZero();
  }

  @Test
  void rebuildingChecksItsInputsAndSendsNothing() {
    assertThatThrownBy(() -> client.task(" ", Instant.now())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> client.task(null, Instant.now())).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> client.task("task-1", null)).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("submittedAt");
    assertThat(server.getRequestCount()).isZero();
  }

  private void awaitAll(TaskPoller poller) throws Exception {
    CompletableFuture.allOf(start(poller).toArray(CompletableFuture<?>[]::new)).get(30, TimeUnit.SECONDS);
  }

  private List<CompletableFuture<TaskResult>> start(TaskPoller poller) {
    List<CompletableFuture<TaskResult>> waits = new ArrayList<>();
    for (int i = 0; i < TASKS; i++) {
      waits.add(poller.awaitCompletionAsync("task-" + i));
    }
    return waits;
  }

  private static void awaitCondition(java.util.function.BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition not met in 10 s").isLessThan(deadline);
      java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
    }
  }

  /** Holds the slot at least {@code millis}, so the queued polls wait past the 100 ms threshold. */
  private static void awaitQuietly(long millis) {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    for (long left = end - System.nanoTime(); left > 0; left = end - System.nanoTime()) {
      java.util.concurrent.locks.LockSupport.parkNanos(left); // may return early: loop until the time is up
    }
  }
}
