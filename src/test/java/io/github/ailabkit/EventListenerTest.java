package io.github.ailabkit;

import static io.github.ailabkit.testing.PollScript.drop;
import static io.github.ailabkit.testing.PollScript.error;
import static io.github.ailabkit.testing.PollScript.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.ailabkit.testing.LogCapture;
import io.github.ailabkit.testing.PollScript;
import io.github.ailabkit.testing.RecordedSleeper;
import io.github.ailabkit.testing.RecordingEventListener;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The client-level {@link AILabEventListener}: every HTTP attempt, every retry decision and every wait
 * from start to end reach it, with the documented fields and nothing secret; a listener that throws
 * breaks nothing.
 */
class EventListenerTest {
  static final String KEY = "sk-event-secret-0123456789";
  static final String QUERY_PATH = "/api/common/query-async-task-result";

  @StartStop final MockWebServer server = PollScript.newServer();
  final RecordedSleeper sleeper = new RecordedSleeper();
  final RecordingEventListener events = new RecordingEventListener();
  AILabClient client;

  AILabClient client(AILabEventListener listener) {
    client = ClientSeams.recorded(KEY, server, sleeper).eventListener(listener).build();
    return client;
  }

  @AfterEach
  void tearDown() {
    if (client != null) {
      client.close();
    }
  }

  @Test
  void everyAttemptAndTheRetryBetweenThemAreReported() {
    server.enqueue(new MockResponse.Builder(error(503, "SERVER_BUSY", "req-1")).setHeader("Retry-After", "2").build());
    server.enqueue(status("task-abc", 1));
    client(events).getTaskResult("task-abc");

    assertThat(events.exchanges).hasSize(2);
    ExchangeEvent failed = events.exchanges.get(0);
    assertThat(failed.method()).isEqualTo("GET");
    assertThat(failed.endpoint()).isEqualTo(QUERY_PATH);
    assertThat(failed.status()).isEqualTo(503);
    assertThat(failed.errorCode()).isEqualTo("SERVER_BUSY");
    assertThat(failed.attempt()).isEqualTo(1);
    assertThat(failed.requestId()).isEqualTo("req-1");
    assertThat(failed.logId()).isEqualTo("log-req-1");
    assertThat(failed.outcome()).isEqualTo(ExchangeEvent.Outcome.SERVER_ERROR);
    assertThat(failed.duration()).isPositive();

    ExchangeEvent answered = events.exchanges.get(1);
    assertThat(answered.status()).isEqualTo(200);
    assertThat(answered.attempt()).isEqualTo(2);
    assertThat(answered.requestId()).isEqualTo("req-task-abc-1");
    assertThat(answered.logId()).isEqualTo("log");
    assertThat(answered.errorCode()).isEmpty();
    assertThat(answered.outcome()).isEqualTo(ExchangeEvent.Outcome.SUCCESS);

    assertThat(events.retries).containsExactly(
        new RetryEvent("GET", QUERY_PATH, 1, Duration.ofSeconds(2), RetryEvent.Reason.SERVER_ERROR));
    assertThat(events.all).extracting(Object::getClass)
        .containsExactly(ExchangeEvent.class, RetryEvent.class, ExchangeEvent.class);
  }

  @Test
  void throttlingAndErrorsInsideA200AreClassified() {
    server.enqueue(error(429, "", "req-429"));
    server.enqueue(PollScript.json(200, "{\"request_id\":\"r\",\"log_id\":\"l\",\"error_code\":429,"
        + "\"error_detail\":{\"code\":\"AI_SERVICE_FLOW_RESTRICTION\",\"message\":\"slow down\"}}"));
    server.enqueue(error(401, "INVALID_API_KEY", "req-401"));
    assertThatThrownBy(() -> client(events).getTaskResult("task-abc")).isInstanceOf(AuthenticationException.class);

    assertThat(events.retries).extracting(RetryEvent::reason)
        .containsExactly(RetryEvent.Reason.THROTTLED, RetryEvent.Reason.THROTTLED);
    assertThat(events.exchanges).extracting(ExchangeEvent::outcome).containsExactly(
        ExchangeEvent.Outcome.CLIENT_ERROR, ExchangeEvent.Outcome.CLIENT_ERROR, ExchangeEvent.Outcome.CLIENT_ERROR);
    assertThat(events.exchanges.get(1).errorCode()).isEqualTo("AI_SERVICE_FLOW_RESTRICTION");
    assertThat(events.exchanges.get(1).status()).isEqualTo(200);
  }

  @Test
  void anAttemptWithoutAnswerIsAnIoErrorAndItsRetryToo() {
    server.enqueue(drop());
    server.enqueue(status("task-abc", 2));
    client(events).getTaskResult("task-abc");

    assertThat(events.exchanges).extracting(ExchangeEvent::outcome)
        .containsExactly(ExchangeEvent.Outcome.IO_ERROR, ExchangeEvent.Outcome.SUCCESS);
    assertThat(events.exchanges.get(0).status()).isZero();
    assertThat(events.retries).extracting(RetryEvent::reason).containsExactly(RetryEvent.Reason.IO_ERROR);
  }

  @Test
  void theEndpointDropsTheBaseUrlPrefixAndTheQuery() {
    server.enqueue(status("task-abc", 1));
    client = AILabClient.builder().apiKey(KEY).baseUrl(server.url("/prefix/v1/").toString())
        .eventListener(events).build();
    client.getTaskResult("task-abc");

    assertThat(events.exchanges).singleElement().extracting(ExchangeEvent::endpoint).isEqualTo(QUERY_PATH);
  }

  @Test
  void aWaitReportsItsStartEachPollAndItsEndWithTheTimeSinceSubmission() throws Exception {
    PollScript script = new PollScript().statuses("task-abc", 0, 1, 2);
    server.setDispatcher(script);
    client(events);
    TaskPoller poller = TaskPoller.builder(client).interval(Duration.ofMillis(5)).initialDelay(Duration.ZERO).build();
    AsyncTask task = client.task("task-abc", RecordedSleeper.START.minusSeconds(90));

    task.await(poller);

    assertThat(events.started).singleElement().satisfies(started -> {
      assertThat(started.taskId()).isEqualTo("task-abc");
      assertThat(started.submittedAt()).isEqualTo(RecordedSleeper.START.minusSeconds(90));
    });
    assertThat(events.polls).extracting(WaitPollEvent::status)
        .containsExactly(TaskStatus.QUEUED, TaskStatus.PROCESSING, TaskStatus.COMPLETED);
    assertThat(events.polls).extracting(WaitPollEvent::previousStatus)
        .containsExactly(null, TaskStatus.QUEUED, TaskStatus.PROCESSING);
    assertThat(events.polls).allMatch(WaitPollEvent::statusChanged);
    assertThat(events.awaitEnds()).isTrue();
    WaitEndedEvent end = events.ends.get(0);
    assertThat(end.kind()).isEqualTo(WaitEndedEvent.Kind.COMPLETED);
    assertThat(end.polls()).isEqualTo(3);
    assertThat(end.sinceSubmission()).isEqualTo(Duration.ofSeconds(90)); // the recorded clock stands still
    assertThat(end.error()).isNull();
  }

  @Test
  void transientPollFailuresAreReportedAndEndKindsAreNamed() throws Exception {
    PollScript script = new PollScript()
        .on("task-flaky", error(503, "SERVER_BUSY", "r1"), status("task-flaky", 2))
        .on("task-gone", error(404, "TASK_NOT_FOUND", "r2"))
        .statuses("task-slow", 1);
    server.setDispatcher(script);
    client(events.expectEnds(4));
    TaskPoller fast = TaskPoller.builder(client).interval(Duration.ofMillis(5)).initialDelay(Duration.ZERO).build();
    TaskPoller never = TaskPoller.builder(client).initialDelay(Duration.ofHours(1)).build();

    fast.awaitCompletionAsync("task-flaky").get(10, TimeUnit.SECONDS);
    assertThatThrownBy(() -> fast.awaitCompletion("task-gone")).isInstanceOf(TaskFailedException.class);
    CompletableFuture<TaskResult> cancelled = never.awaitCompletionAsync("task-slow");
    cancelled.cancel(false);
    TaskPoller shortTimeout = TaskPoller.builder(client).timeout(Duration.ofSeconds(1)).build();
    assertThatThrownBy(() -> shortTimeout.awaitCompletion("task-slow", RecordedSleeper.START.minus(Duration.ofHours(24))))
        .isInstanceOf(TaskTimeoutException.class);

    assertThat(events.awaitEnds()).isTrue();
    assertThat(events.polls).filteredOn(p -> p.taskId().equals("task-flaky")).first().satisfies(p -> {
      assertThat(p.status()).isNull();
      assertThat(p.transientError()).isInstanceOf(AILabApiException.class);
      assertThat(p.statusChanged()).isFalse();
    });
    assertThat(events.ends).extracting(WaitEndedEvent::taskId, WaitEndedEvent::kind).containsExactlyInAnyOrder(
        org.assertj.core.groups.Tuple.tuple("task-flaky", WaitEndedEvent.Kind.COMPLETED),
        org.assertj.core.groups.Tuple.tuple("task-gone", WaitEndedEvent.Kind.FAILED),
        org.assertj.core.groups.Tuple.tuple("task-slow", WaitEndedEvent.Kind.CANCELLED),
        org.assertj.core.groups.Tuple.tuple("task-slow", WaitEndedEvent.Kind.TIMEOUT));
  }

  @Test
  void closingTheClientEndsWaitsAsCancelled() throws Exception {
    client(events);
    client.taskPoller().awaitCompletionAsync("task-abc");
    client.close();
    assertThat(events.awaitEnds()).isTrue();
    assertThat(events.ends).extracting(WaitEndedEvent::kind).containsExactly(WaitEndedEvent.Kind.CANCELLED);
  }

  @Test
  void aThrowingListenerBreaksNothingAndIsLoggedOnceWithoutTheKey() throws Exception {
    AILabEventListener throwing = new AILabEventListener() {
      @Override
      public void onExchange(ExchangeEvent event) {
        throw new IllegalStateException("listener bug near " + KEY);
      }

      @Override
      public void onWaitStarted(WaitStartedEvent event) {
        throw new AssertionError("even an Error");
      }

      @Override
      public void onWaitEnded(WaitEndedEvent event) {
        throw new IllegalStateException("end");
      }
    };
    server.setDispatcher(new PollScript().statuses("task-abc", 2));
    try (LogCapture log = LogCapture.capture("io.github.ailabkit.events")) {
      client(throwing);
      assertThat(client.getTaskResult("task-abc").isCompleted()).isTrue();
      assertThat(client.getTaskResultAsync("task-abc").get(10, TimeUnit.SECONDS).isCompleted()).isTrue();
      TaskPoller poller = TaskPoller.builder(client).initialDelay(Duration.ZERO).build();
      assertThat(poller.awaitCompletion("task-abc").isCompleted()).isTrue();

      List<String> warnings = log.lines().stream().filter(l -> l.contains("WARN")).toList();
      assertThat(warnings).hasSize(1);
      assertThat(warnings.get(0)).contains("IllegalStateException").contains(io.github.ailabkit.internal.Redactor.MASK);
      assertThat(log.text()).doesNotContain(KEY);
    }
  }

  @Test
  void noEventEverCarriesTheKeyOrAUrl() throws Exception {
    server.setDispatcher(new PollScript()
        .on("task-abc", error(500, "SERVER_BUSY", "r"), status("task-abc", 2)));
    client(events.expectEnds(1));
    TaskPoller poller = TaskPoller.builder(client).interval(Duration.ofMillis(5)).initialDelay(Duration.ZERO).build();
    client.getTaskResult("task-abc");
    poller.awaitCompletion("task-abc");
    assertThat(events.awaitEnds()).isTrue();

    assertThat(events.all).isNotEmpty().allSatisfy(event -> assertThat(event.toString())
        .doesNotContain(KEY).doesNotContain("://").doesNotContain(String.valueOf(server.getPort())));
    // the script's request ids name the task; everything the SDK itself fills in must not
    assertThat(events.exchanges).allSatisfy(e -> assertThat(List.of(e.endpoint(), e.errorCode(), e.method()))
        .noneMatch(text -> text.contains("task-abc")));
    assertThat(events.retries).isNotEmpty().allSatisfy(e -> assertThat(e.endpoint()).doesNotContain("task-abc"));
  }
}
