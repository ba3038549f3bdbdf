package io.github.ailabkit;

import static io.github.ailabkit.testing.PollScript.drop;
import static io.github.ailabkit.testing.PollScript.error;
import static io.github.ailabkit.testing.PollScript.garbled;
import static io.github.ailabkit.testing.PollScript.json;
import static io.github.ailabkit.testing.PollScript.status;
import static java.time.Duration.ZERO;
import static java.time.Duration.ofMillis;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.github.ailabkit.testing.PollMode;
import io.github.ailabkit.testing.PollMode.Waiting;
import io.github.ailabkit.testing.PollRecorder;
import io.github.ailabkit.testing.PollScript;
import io.github.ailabkit.testing.PollThreads;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The task poller's contract, scenario by scenario. Every scenario runs through both the blocking and
 * the asynchronous form ({@link PollMode}); they must behave identically. Polls are answered by a
 * {@link PollScript} on a local server; intervals are a few milliseconds, and assertions are on request
 * counts and outcomes, never on how long something took.
 */
class TaskPollerTest {
  static final Duration TICK = ofMillis(10);

  @StartStop final MockWebServer server = PollScript.newServer();
  final PollScript script = new PollScript();
  final PollRecorder recorder = new PollRecorder();
  AILabClient client;

  @BeforeEach
  void setUp() {
    server.setDispatcher(script);
    client = AILabClient.builder().apiKey("test-key").baseUrl(server.url("/").toString()).build();
  }

  @AfterEach
  void tearDown() {
    script.release();
    client.close();
  }

  /** A fast poller: polls at once, then every 10 ms, with no rate limit worth mentioning. */
  TaskPoller.Builder fast() {
    return TaskPoller.builder(client).interval(TICK).initialDelay(ZERO).maxPollsPerSecond(10_000)
        .timeout(Duration.ofSeconds(5)).listener(recorder);
  }

  /** Waits a few intervals and checks that no poll arrived meanwhile. */
  void assertNoMorePolls(int expectedTotal) throws InterruptedException {
    Thread.sleep(TICK.toMillis() * 6);
    assertThat(script.total()).as("polls sent after the wait ended").isEqualTo(expectedTotal);
  }

  // ------------------------------------------------------------------------------------------------
  @Nested
  class Completion {
    @ParameterizedTest
    @EnumSource(PollMode.class)
    void queuedProcessingProcessingCompleted_takesExactlyFourPolls(PollMode mode) throws Exception {
      script.statuses("t1", 0, 1, 1, 2);

      TaskResult result = mode.start(fast().build(), "t1").result();

      assertThat(result.isCompleted()).isTrue();
      assertThat(result.taskStatus()).isEqualTo(TaskStatus.COMPLETED);
      assertThat(result.requestId()).isEqualTo("req-t1-2");
      assertThat(result.data().path("image").asText()).isEqualTo("https://files.example/t1.png");
      assertThat(script.requests("t1")).isEqualTo(4);
      assertNoMorePolls(4);
    }

    @ParameterizedTest
    @EnumSource(PollMode.class)
    void alreadyCompleted_takesOnePoll(PollMode mode) throws Exception {
      script.statuses("t1", 2);

      assertThat(mode.start(fast().build(), "t1").result().isCompleted()).isTrue();
      assertNoMorePolls(1);
    }

    @ParameterizedTest
    @EnumSource(PollMode.class)
    void statusInsideData_isUnderstood(PollMode mode) {
      script.on("t1", json(200, "{\"data\":{\"task_status\":1}}"),
          json(200, "{\"data\":{\"task_status\":2,\"image\":\"u\"}}"));

      TaskResult result = mode.start(fast().build(), "t1").result();

      assertThat(result.data().path("image").asText()).isEqualTo("u");
      assertThat(script.requests("t1")).isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(PollMode.class)
    void pollsTheQueryEndpointWithTheTaskIdAndKey(PollMode mode) throws Exception {
      script.statuses("1714743372764.fb8fd68b-7f0e-1485-d003-32ee0f854a92", 2);

      mode.start(fast().build(), "1714743372764.fb8fd68b-7f0e-1485-d003-32ee0f854a92").result();

      var request = server.takeRequest(1, TimeUnit.SECONDS);
      assertThat(request.getMethod()).isEqualTo("GET");
      assertThat(request.getUrl().encodedPath()).isEqualTo("/api/common/query-async-task-result");
      assertThat(request.getUrl().queryParameter("task_id"))
          .isEqualTo("1714743372764.fb8fd68b-7f0e-1485-d003-32ee0f854a92");
      assertThat(request.getHeaders().get("ailabapi-api-key")).isEqualTo("test-key");
    }
  }

  // ------------------------------------------------------------------------------------------------
  @Nested
  class Delays {
    @ParameterizedTest
    @EnumSource(PollMode.class)
    void firstPollComesOneIntervalAfterTheStartByDefault(PollMode mode) throws Exception {
      script.statuses("t1", 2);
      Duration interval = ofMillis(200);
      TaskPoller poller = TaskPoller.builder(client).interval(interval).listener(recorder).build();

      Waiting waiting = mode.start(poller, "t1");

      assertThat(waiting.result().isCompleted()).isTrue();
      assertThat(recorder.polls.get(0).elapsed()).isGreaterThanOrEqualTo(interval);
      assertThat(script.total()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(PollMode.class)
    void zeroInitialDelayPollsAtOnce(PollMode mode) {
      script.statuses("t1", 2);
      // With a one-hour interval the wait could only end within the test's patience by polling at once.
      TaskPoller poller = TaskPoller.builder(client).interval(Duration.ofHours(1)).initialDelay(ZERO).build();

      assertThat(mode.start(poller, "t1").result().isCompleted()).isTrue();
      assertThat(script.total()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(PollMode.class)
    void customInitialDelayIsHonoured(PollMode mode) throws Exception {
      script.statuses("t1", 2);
      TaskPoller poller = TaskPoller.builder(client).interval(Duration.ofHours(1)).initialDelay(ofMillis(150))
          .listener(recorder).build();

      Waiting waiting = mode.start(poller, "t1");

      // The SDK measures the wait's elapsed time itself, so this holds however loaded the machine is.
      assertThat(waiting.result().isCompleted()).isTrue();
      assertThat(recorder.polls.get(0).elapsed()).isGreaterThanOrEqualTo(ofMillis(150));
    }

    @ParameterizedTest
    @EnumSource(PollMode.class)
    void intervalsShorterThanFiveSecondsAreAllowed(PollMode mode) {
      script.statuses("t1", 0, 0, 0, 2);
      TaskPoller poller = TaskPoller.builder(client).interval(Duration.ofMillis(1)).initialDelay(ZERO).build();

      assertThat(mode.start(poller, "t1").result().isCompleted()).isTrue();
      assertThat(script.total()).isEqualTo(4);
    }
  }

  // ------------------------------------------------------------------------------------------------
  @Nested
  class Listener {
    @ParameterizedTest
    @EnumSource(PollMode.class)
    void reportsEveryPollAndEachStatusChange(PollMode mode) {
      script.statuses("t1", 0, 1, 1, 2);

      mode.start(fast().build(), "t1").result();

      // Listener calls happen before the wait completes, so they are all visible now.
      assertThat(recorder.events).containsExactly(
          "poll t1 #1 QUEUED", "change t1 null->QUEUED",
          "poll t1 #2 PROCESSING", "change t1 QUEUED->PROCESSING",
          "poll t1 #3 PROCESSING",
          "poll t1 #4 COMPLETED", "change t1 PROCESSING->COMPLETED");
      List<Duration> elapsed = recorder.polls.stream().map(PollRecorder.Poll::elapsed).toList();
      assertThat(elapsed).isSorted().allSatisfy(d -> assertThat(d).isPositive());
      assertThat(recorder.polls).allSatisfy(p -> assertThat(p.thread()).matches("(ailab-|OkHttp ).*"));
    }

    @ParameterizedTest
    @EnumSource(PollMode.class)
    void answersComeAtLeastAnIntervalApart_jitterOnlyLengthens(PollMode mode) {
      script.statuses("t1", 0, 1, 1, 1, 1, 2);
      Duration interval = Duration.ofMillis(50);

      mode.start(fast().interval(interval).build(), "t1").result();

      // The next poll is scheduled only once an answer is in, so a gap shorter than the interval means a
      // poll was sent sooner than asked.
      List<Duration> elapsed = recorder.polls.stream().map(PollRecorder.Poll::elapsed).toList();
      assertThat(elapsed).hasSize(6);
      for (int i = 1; i < elapsed.size(); i++) {
        assertThat(elapsed.get(i).minus(elapsed.get(i - 1))).as("gap before poll %d", i + 1)
            .isGreaterThanOrEqualTo(interval);
      }
    }

    @ParameterizedTest
    @EnumSource(PollMode.class)
    void numbersFailedPollsAsAttemptsToo(PollMode mode) {
      script.on("t1", error(503, "AI_SERVICE_FLOW_RESTRICTION", "r1"), status("t1", 1), status("t1", 2));

      mode.start(fast().build(), "t1").result();

      assertThat(recorder.events).containsExactly(
          "error t1 #1 AILabApiException",
          "poll t1 #2 PROCESSING", "change t1 null->PROCESSING",
          "poll t1 #3 COMPLETED", "change t1 PROCESSING->COMPLETED");
    }

    @ParameterizedTest
    @EnumSource(PollMode.class)
    void aListenerThatThrowsDoesNotBreakTheWait(PollMode mode) {
      script.on("t1", error(502, "AI_SERVICE_ERROR", "r1"), status("t1", 0), status("t1", 1), status("t1", 2));
      List<String> calls = new ArrayList<>();
      TaskPollListener throwing = new TaskPollListener() {
        @Override
        public void onPoll(String taskId, int attempt, TaskStatus status, Duration elapsed) {
          calls.add("poll " + attempt);
          throw new IllegalStateException("listener bug in onPoll");
        }

        @Override
        public void onStatusChange(String taskId, TaskStatus previous, TaskStatus current) {
          calls.add("change " + current);
          throw new IllegalStateException("listener bug in onStatusChange");
        }

        @Override
        public void onTransientError(String taskId, int attempt, AILabException error) {
          calls.add("error " + attempt);
          throw new IllegalStateException("listener bug in onTransientError");
        }
      };

      TaskResult result = mode.start(fast().listener(throwing).build(), "t1").result();

      assertThat(result.isCompleted()).isTrue();
      assertThat(calls).containsExactly("error 1", "poll 2", "change QUEUED", "poll 3", "change PROCESSING",
          "poll 4", "change COMPLETED");
    }

    @ParameterizedTest
    @EnumSource(PollMode.class)
    void aListenerThatThrowsAnErrorDoesNotStrandTheWait(PollMode mode) {
      script.on("t1", error(503, "AI_SERVICE_FLOW_RESTRICTION", "r1"), status("t1", 1), status("t1", 2));
      TaskPollListener failing = new TaskPollListener() {
        @Override
        public void onPoll(String taskId, int attempt, TaskStatus status, Duration elapsed) {
          throw new AssertionError("an assertion inside a listener");
        }

        @Override
        public void onTransientError(String taskId, int attempt, AILabException error) {
          throw new StackOverflowError("deep listener");
        }
      };

      assertThat(mode.start(fast().listener(failing).build(), "t1").result().isCompleted()).isTrue();
      assertThat(script.total()).isEqualTo(3);
    }
  }

  // ------------------------------------------------------------------------------------------------
  @Nested
  class TransientFailures {
    @ParameterizedTest
    @EnumSource(PollMode.class)
    void flowRestrictionThenConnectionDropThenGarbledJson_thenCompletes(PollMode mode) {
      script.on("t1", error(503, "AI_SERVICE_FLOW_RESTRICTION", "r-503"), drop(), garbled(), status("t1", 2));

      TaskResult result = mode.start(fast().build(), "t1").result();

      assertThat(result.isCompleted()).isTrue();
      assertThat(script.requests("t1")).isEqualTo(4);
      assertThat(recorder.errors).hasSize(3);
      assertThat(recorder.errors.get(0).error()).isInstanceOfSatisfying(AILabApiException.class, e -> {
        assertThat(e.httpStatus()).isEqualTo(503);
        assertThat(e.errorCode()).isEqualTo("AI_SERVICE_FLOW_RESTRICTION");
        assertThat(e.isRetryable()).isTrue();
      });
      assertThat(recorder.errors.get(1).error()).isInstanceOf(AILabIOException.class);
      assertThat(recorder.errors.get(2).error()).isInstanceOfSatisfying(AILabApiException.class,
          e -> assertThat(e.httpStatus()).isEqualTo(200));
      assertThat(recorder.errors).extracting(PollRecorder.TransientError::attempt).containsExactly(1, 2, 3);
      assertThat(recorder.polls).extracting(PollRecorder.Poll::attempt).containsExactly(4);
    }

    static Stream<Arguments> transientAnswers() {
      List<Object[]> answers = List.of(
          new Object[] {"500 PROCESSING_FAILURE", error(500, "PROCESSING_FAILURE", "r")},
          new Object[] {"502 AI_SERVICE_ERROR", error(502, "AI_SERVICE_ERROR", "r")},
          new Object[] {"503 AI_SERVICE_FLOW_RESTRICTION", error(503, "AI_SERVICE_FLOW_RESTRICTION", "r")},
          new Object[] {"504 AI_SERVICE_TIMEOUT", error(504, "AI_SERVICE_TIMEOUT", "r")},
          new Object[] {"429 EXCEEDING_LIMITS", error(429, "EXCEEDING_LIMITS", "r")},
          new Object[] {"200 with flow restriction in the body",
              json(200, "{\"error_code\":503,\"error_code_str\":\"AI_SERVICE_FLOW_RESTRICTION\",\"error_msg\":\"busy\"}")},
          new Object[] {"502 HTML page", new MockResponse.Builder().code(502).body("<html>Bad Gateway</html>").build()},
          new Object[] {"200 empty body", new MockResponse.Builder().code(200).body("").build()},
          new Object[] {"200 JSON array", json(200, "[1,2]")},
          new Object[] {"200 garbled JSON", garbled()},
          new Object[] {"connection drop mid-answer", drop()});
      List<Arguments> args = new ArrayList<>();
      for (PollMode mode : PollMode.values()) {
        for (Object[] answer : answers) {
          args.add(Arguments.of(mode, answer[0], answer[1]));
        }
      }
      return args.stream();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("transientAnswers")
    void aTransientAnswerIsRetriedAndReported(PollMode mode, String what, MockResponse answer) {
      script.on("t1", answer, status("t1", 2));

      TaskResult result = mode.start(fast().build(), "t1").result();

      assertThat(result.isCompleted()).isTrue();
      assertThat(script.requests("t1")).isEqualTo(2);
      assertThat(recorder.errors).singleElement().satisfies(e -> {
        assertThat(e.taskId()).isEqualTo("t1");
        assertThat(e.attempt()).isEqualTo(1);
        assertThat(e.error()).isInstanceOfAny(AILabApiException.class, AILabIOException.class);
      });
    }

    @ParameterizedTest
    @EnumSource(PollMode.class)
    void transientFailuresUntilTheDeadline_timeOutWithoutALastResult(PollMode mode) {
      script.on("t1", error(503, "AI_SERVICE_FLOW_RESTRICTION", "r"));

      Throwable error = mode.start(fast().timeout(ofMillis(300)).build(), "t1").error();

      assertThat(error).isInstanceOfSatisfying(TaskTimeoutException.class, e -> {
        assertThat(e.taskId()).isEqualTo("t1");
        assertThat(e.lastResult()).isNull();
      });
      assertThat(recorder.errors).isNotEmpty().hasSize(script.requests("t1"));
    }

    @ParameterizedTest
    @EnumSource(PollMode.class)
    void consecutiveFailuresBackOff(PollMode mode) {
      // 10, 20, 40, 80, 160 ms... between polls: at most 6 fit in 400 ms; without backoff about 40 would.
      script.on("t1", error(502, "AI_SERVICE_ERROR", "r"));

      mode.start(fast().timeout(ofMillis(400)).build(), "t1").error();

      assertThat(script.requests("t1")).isBetween(2, 8);
    }

    @ParameterizedTest
    @EnumSource(PollMode.class)
    void retryAfterIsHonouredEvenBeyondTheInterval(PollMode mode) throws Exception {
      script.on("t1", new MockResponse.Builder(error(503, "AI_SERVICE_FLOW_RESTRICTION", "r"))
          .setHeader("Retry-After", "30").build());

      Throwable error = mode.start(fast().timeout(ofMillis(200)).build(), "t1").error();

      assertThat(error).isInstanceOf(TaskTimeoutException.class);
      assertThat(script.requests("t1")).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(PollMode.class)
    void aSuccessfulPollResetsTheBackoff(PollMode mode) {
      // fail, ok, fail, ok, fail, ok, done: with reset, each retry waits one interval.
      MockResponse fail = error(503, "AI_SERVICE_FLOW_RESTRICTION", "r");
      script.on("t1", fail, status("t1", 1), fail, status("t1", 1), fail, status("t1", 1), status("t1", 2));

      assertThat(mode.start(fast().build(), "t1").result().isCompleted()).isTrue();
      assertThat(script.requests("t1")).isEqualTo(7);
      assertThat(recorder.errors).extracting(PollRecorder.TransientError::attempt).containsExactly(1, 3, 5);
    }
  }

  // ------------------------------------------------------------------------------------------------
  @Nested
  class FinalErrors {
    @ParameterizedTest
    @EnumSource(PollMode.class)
    void noFaceOnTheFirstPoll_failsTheTaskWithTheDetails(PollMode mode) throws Exception {
      script.on("t1", error(422, "ERROR_NO_FACE_IN_FILE", "req-422"));

      Throwable error = mode.start(fast().build(), "t1").error();

      assertThat(error).isExactlyInstanceOf(TaskFailedException.class);
      TaskFailedException failed = (TaskFailedException) error;
      assertThat(failed.taskId()).isEqualTo("t1");
      assertThat(failed.httpStatus()).isEqualTo(422);
      assertThat(failed.errorCode()).isEqualTo("ERROR_NO_FACE_IN_FILE");
      assertThat(failed.requestId()).isEqualTo("req-422");
      assertThat(failed.logId()).isEqualTo("log-req-422");
      assertThat(failed.errorDetail().message()).isEqualTo("details of ERROR_NO_FACE_IN_FILE");
      assertThat(failed.isRetryable()).isFalse();
      assertThat(failed.getMessage()).contains("t1", "422", "ERROR_NO_FACE_IN_FILE");
      assertThat(failed.getCause()).isInstanceOf(AILabApiException.class);
      assertThat(recorder.errors).isEmpty();
      assertNoMorePolls(1);
    }

    @ParameterizedTest
    @EnumSource(PollMode.class)
    void aFailureAfterSomeProgress_failsTheTask(PollMode mode) throws Exception {
      script.on("t1", status("t1", 0), status("t1", 1), error(422, "ERROR_NO_FACE_IN_FILE", "r"));

      assertThat(mode.start(fast().build(), "t1").error()).isInstanceOf(TaskFailedException.class);
      assertThat(recorder.polls).hasSize(2);
      assertNoMorePolls(3);
    }

    static Stream<Arguments> taskGone() {
      return Stream.of(PollMode.values()).flatMap(mode -> Stream.of(
          Arguments.of(mode, 404, "ERROR_RESOURCE_NOT_FOUND"),
          Arguments.of(mode, 410, "ERROR_TASK_REVOKED")));
    }

    @ParameterizedTest(name = "{0}: {1} {2}")
    @MethodSource("taskGone")
    void anUnknownOrRevokedTask_failsTheTask(PollMode mode, int httpStatus, String code) throws Exception {
      script.on("t1", error(httpStatus, code, "r"));

      Throwable error = mode.start(fast().build(), "t1").error();

      assertThat(error).isInstanceOfSatisfying(TaskFailedException.class, e -> {
        assertThat(e.httpStatus()).isEqualTo(httpStatus);
        assertThat(e.errorCode()).isEqualTo(code);
      });
      assertNoMorePolls(1);
    }

    @ParameterizedTest
    @EnumSource(PollMode.class)
    void aFailureReportedInsideA200_failsTheTask(PollMode mode) {
      script.on("t1", json(200, "{\"request_id\":\"r-old\",\"error_code\":422,"
          + "\"error_code_str\":\"ERROR_NO_FACE_IN_FILE\",\"error_msg\":\"no face\"}"));

      Throwable error = mode.start(fast().build(), "t1").error();

      assertThat(error).isInstanceOfSatisfying(TaskFailedException.class, e -> {
        assertThat(e.errorCode()).isEqualTo("ERROR_NO_FACE_IN_FILE");
        assertThat(e.requestId()).isEqualTo("r-old");
      });
    }

    static Stream<Arguments> badKey() {
      return Stream.of(PollMode.values()).flatMap(mode -> Stream.of(
          Arguments.of(mode, 401, "ERROR_USER_NOT_EXISTS"),
          Arguments.of(mode, 403, "ERROR_USER_LOCKED")));
    }

    @ParameterizedTest(name = "{0}: {1} {2}")
    @MethodSource("badKey")
    void aRefusedKeyIsPassedThroughAsIs(PollMode mode, int httpStatus, String code) throws Exception {
      script.on("t1", error(httpStatus, code, "req-auth"));

      Throwable error = mode.start(fast().build(), "t1").error();

      assertThat(error).isExactlyInstanceOf(AuthenticationException.class);
      assertThat(((AuthenticationException) error).httpStatus()).isEqualTo(httpStatus);
      assertThat(((AuthenticationException) error).requestId()).isEqualTo("req-auth");
      assertNoMorePolls(1);
    }

    @ParameterizedTest
    @EnumSource(PollMode.class)
    void runningOutOfCreditsIsPassedThroughAsIs(PollMode mode) throws Exception {
      script.on("t1", error(429, "ERROR_NOT_ENOUGH_CREDITS", "r"));

      Throwable error = mode.start(fast().build(), "t1").error();

      assertThat(error).isExactlyInstanceOf(RateLimitException.class);
      assertThat(((RateLimitException) error).isOutOfCredits()).isTrue();
      assertNoMorePolls(1);
    }
  }

  // ------------------------------------------------------------------------------------------------
  @Nested
  class Timeouts {
    @ParameterizedTest
    @EnumSource(PollMode.class)
    void alwaysProcessing_timesOutWithTheLastResult(PollMode mode) throws Exception {
      script.statuses("t1", 1);

      Throwable error = mode.start(fast().timeout(ofMillis(200)).build(), "t1").error();

      assertThat(error).isExactlyInstanceOf(TaskTimeoutException.class);
      TaskTimeoutException timeout = (TaskTimeoutException) error;
      assertThat(timeout.taskId()).isEqualTo("t1");
      assertThat(timeout.lastResult()).isNotNull();
      assertThat(timeout.lastResult().taskStatus()).isEqualTo(TaskStatus.PROCESSING);
      assertThat(timeout.lastResult().requestId()).isEqualTo("req-t1-1");
      assertThat(timeout.getMessage()).contains("t1", "PROCESSING");
      int polls = script.total();
      assertThat(polls).isPositive();
      assertNoMorePolls(polls);
    }

    @ParameterizedTest
    @EnumSource(PollMode.class)
    void aTimeoutShorterThanTheFirstDelay_endsWithoutPolling(PollMode mode) throws Exception {
      script.statuses("t1", 2);
      TaskPoller poller = TaskPoller.builder(client).interval(Duration.ofMinutes(1)).timeout(ofMillis(50)).build();

      Throwable error = mode.start(poller, "t1").error();

      assertThat(error).isInstanceOfSatisfying(TaskTimeoutException.class, e -> assertThat(e.lastResult()).isNull());
      assertNoMorePolls(0);
    }

    @ParameterizedTest
    @EnumSource(PollMode.class)
    void resultsOlderThan24Hours_failAtOnceWithoutPolling(PollMode mode) throws Exception {
      script.statuses("t1", 2);
      Instant submittedAt = Instant.now().minus(Duration.ofHours(24)).minusSeconds(1);

      Waiting waiting = mode.start(fast().build(), "t1", submittedAt);
      if (mode == PollMode.ASYNC) {
        assertThat(waiting.isDone()).as("failed at once").isTrue();
      }
      Throwable error = waiting.error();

      assertThat(error).isExactlyInstanceOf(TaskTimeoutException.class);
      assertThat(error.getMessage()).contains("t1", "expired", "24 hours");
      assertThat(((TaskTimeoutException) error).lastResult()).isNull();
      assertNoMorePolls(0);
    }

    @ParameterizedTest
    @EnumSource(PollMode.class)
    void resultsExpiringDuringTheWait_endItThen(PollMode mode) {
      script.statuses("t1", 1);
      Instant submittedAt = Instant.now().minus(Duration.ofHours(24)).plusMillis(300);
      TaskPoller poller = fast().timeout(TaskPoller.RESULT_RETENTION).build();

      Throwable error = mode.start(poller, "t1", submittedAt).error();

      assertThat(error).isInstanceOfSatisfying(TaskTimeoutException.class,
          e -> assertThat(e.lastResult().taskStatus()).isEqualTo(TaskStatus.PROCESSING));
    }

    @ParameterizedTest
    @EnumSource(PollMode.class)
    void aRecentSubmission_waitsNormally(PollMode mode) {
      script.statuses("t1", 0, 2);

      assertThat(mode.start(fast().build(), "t1", Instant.now().minusSeconds(30)).result().isCompleted()).isTrue();
      assertThat(script.total()).isEqualTo(2);
    }
  }

  // ------------------------------------------------------------------------------------------------
  @Nested
  class UnknownStatus {
    @ParameterizedTest
    @EnumSource(PollMode.class)
    void keepsWaitingAndWarnsOncePerTask(PollMode mode) {
      String id = "unknown-" + mode;
      script.on(id, json(200, "{\"task_status\":3}"), json(200, "{\"task_status\":7}"), json(200, "{}"),
          json(200, "{\"task_status\":\"9\"}"), status(id, 2));

      String stderr = captureStderr(() -> assertThat(mode.start(fast().build(), id).result().isCompleted()).isTrue());

      assertThat(script.requests(id)).isEqualTo(5);
      assertThat(recorder.polls).extracting(PollRecorder.Poll::status).containsExactly(TaskStatus.UNKNOWN,
          TaskStatus.UNKNOWN, TaskStatus.UNKNOWN, TaskStatus.UNKNOWN, TaskStatus.COMPLETED);
      List<String> warnings = Arrays.stream(stderr.split("\\R")).filter(line -> line.contains(id)).toList();
      assertThat(warnings).singleElement().satisfies(line -> assertThat(line).contains("WARN", "3"));
    }

    @ParameterizedTest
    @EnumSource(PollMode.class)
    void unknownStatusUntilTheDeadline_timesOutWithIt(PollMode mode) {
      script.on("t1", json(200, "{\"task_status\":3}"));

      Throwable error = mode.start(fast().timeout(ofMillis(300)).build(), "t1").error();

      assertThat(error).isInstanceOfSatisfying(TaskTimeoutException.class, e -> {
        assertThat(e.lastResult().taskStatus()).isEqualTo(TaskStatus.UNKNOWN);
        assertThat(e.lastResult().rawTaskStatus()).isEqualTo(3);
      });
    }

    private String captureStderr(Runnable body) {
      PrintStream original = System.err;
      ByteArrayOutputStream captured = new ByteArrayOutputStream();
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      try {
        body.run();
      } finally {
        System.setErr(original);
      }
      String text = captured.toString(StandardCharsets.UTF_8);
      original.print(text);
      return text;
    }
  }

  // ------------------------------------------------------------------------------------------------
  @Nested
  class Cancellation {
    @ParameterizedTest
    @EnumSource(PollMode.class)
    void cancellingBetweenPolls_sendsNothingMore(PollMode mode) throws Exception {
      script.statuses("t1", 0);
      CountDownLatch secondPoll = new CountDownLatch(1);
      CountDownLatch cancelled = new CountDownLatch(1);
      TaskPollListener pauseAfterSecondPoll = new TaskPollListener() {
        @Override
        public void onPoll(String taskId, int attempt, TaskStatus status, Duration elapsed) {
          if (attempt == 2) {
            secondPoll.countDown();
            await(cancelled);
          }
        }
      };
      Waiting waiting = mode.start(fast().listener(pauseAfterSecondPoll).build(), "t1");
      assertThat(secondPoll.await(5, TimeUnit.SECONDS)).isTrue();

      waiting.cancel();
      Object outcome = waiting.outcome();
      cancelled.countDown();

      assertCancelled(mode, waiting, outcome);
      assertNoMorePolls(2);
      assertThat(client.timer().pending()).isZero();
    }

    @ParameterizedTest
    @EnumSource(PollMode.class)
    void cancellingWhileAPollIsInFlight_sendsNothingMore(PollMode mode) throws Exception {
      script.statuses("t1", 0).hold(n -> n == 2);
      Waiting waiting = mode.start(fast().build(), "t1");
      assertThat(PollThreads.eventually(5000, () -> script.concurrent() == 1 && script.total() == 2)).isTrue();

      waiting.cancel();
      Object outcome = waiting.outcome();
      script.release();

      assertCancelled(mode, waiting, outcome);
      assertNoMorePolls(2);
      assertThat(recorder.polls).hasSize(1);
    }

    @ParameterizedTest
    @EnumSource(PollMode.class)
    void cancellingBeforeTheFirstPoll_sendsNothing(PollMode mode) throws Exception {
      script.statuses("t1", 2);
      Waiting waiting = mode.start(fast().initialDelay(ofMillis(100)).build(), "t1");

      waiting.cancel();
      Object outcome = waiting.outcome();

      assertCancelled(mode, waiting, outcome);
      Thread.sleep(150);
      assertThat(script.total()).isZero();
    }

    @Test
    void aBlockingWaitOnAnInterruptedThread_throwsAtOnceWithoutPolling() throws Exception {
      script.statuses("t1", 2);
      TaskPoller poller = fast().build();
      for (int i = 0; i < 20; i++) {
        Thread.currentThread().interrupt();
        try {
          assertThatThrownBy(() -> poller.awaitCompletion("t1")).isInstanceOf(AILabException.class)
              .hasMessageContaining("nterrupted");
          assertThat(Thread.currentThread().isInterrupted()).as("interrupt flag kept").isTrue();
        } finally {
          Thread.interrupted();
        }
      }
      assertNoMorePolls(0);
    }

    @Test
    void cancellingAfterCompletionChangesNothing() throws Exception {
      script.statuses("t1", 2);
      var future = fast().build().awaitCompletionAsync("t1");
      TaskResult result = future.get(5, TimeUnit.SECONDS);

      assertThat(future.cancel(true)).isFalse();
      assertThat(future.get()).isSameAs(result);
    }

    private void assertCancelled(PollMode mode, Waiting waiting, Object outcome) {
      if (mode == PollMode.BLOCKING) {
        assertThat(outcome).isInstanceOfSatisfying(AILabException.class, e -> {
          assertThat(e.getMessage()).contains("nterrupted", "t1");
          assertThat(e.getCause()).isInstanceOf(InterruptedException.class);
        });
        assertThat(waiting.interruptFlagAfterwards()).as("interrupt flag restored").isTrue();
      } else {
        assertThat(outcome).isInstanceOf(CancellationException.class);
        assertThat(waiting.future().isCancelled()).isTrue();
      }
    }
  }

  // ------------------------------------------------------------------------------------------------
  @Nested
  class AwaitAll {
    @Test
    void oneOutcomePerDistinctIdInTheOrderGiven() throws Exception {
      script.on("failed", error(422, "ERROR_NO_FACE_IN_FILE", "r-f"));
      script.statuses("done", 0, 1, 2);
      script.statuses("slow", 1);
      script.on("denied", error(401, "ERROR_USER_NOT_EXISTS", "r-d"));
      script.on("flaky", error(503, "AI_SERVICE_FLOW_RESTRICTION", "r"), status("flaky", 2));

      Map<String, TaskOutcome> outcomes = assertTimeoutPreemptively(Duration.ofSeconds(10),
          () -> fast().timeout(Duration.ofSeconds(1)).build()
              .awaitAll(List.of("failed", "done", "slow", "done", "denied", "flaky", "failed")));

      assertThat(outcomes.keySet()).containsExactly("failed", "done", "slow", "denied", "flaky");
      assertThat(outcomes.get("failed").error()).isInstanceOf(TaskFailedException.class);
      assertThat(outcomes.get("done").isSuccess()).isTrue();
      assertThat(outcomes.get("done").getOrThrow().isCompleted()).isTrue();
      assertThat(outcomes.get("slow").error()).isInstanceOfSatisfying(TaskTimeoutException.class,
          e -> assertThat(e.lastResult().taskStatus()).isEqualTo(TaskStatus.PROCESSING));
      assertThat(outcomes.get("denied").error()).isExactlyInstanceOf(AuthenticationException.class);
      assertThat(outcomes.get("flaky").result().isCompleted()).isTrue();
      assertThat(outcomes.values()).allSatisfy(o -> assertThat(o.taskId()).isIn(outcomes.keySet()));
      assertThatThrownBy(() -> outcomes.get("failed").getOrThrow()).isInstanceOf(TaskFailedException.class);
      assertThat(script.requests("done")).as("one wait per distinct id").isEqualTo(3);
      assertThat(script.requests("failed")).isEqualTo(1);
      assertThat(script.requests("denied")).isEqualTo(1);
    }

    @Test
    void noIds_noPolls() throws Exception {
      assertThat(fast().build().awaitAll(List.of())).isEmpty();
      assertNoMorePolls(0);
    }

    @Test
    void aBadIdIsRefusedBeforeAnyPoll() throws Exception {
      script.statuses("ok", 2);
      TaskPoller poller = fast().build();

      assertThatThrownBy(() -> poller.awaitAll(Arrays.asList("ok", " "))).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> poller.awaitAll(Arrays.asList("ok", null))).isInstanceOf(NullPointerException.class);
      assertNoMorePolls(0);
    }

    @Test
    void interruptingIt_cancelsEveryWait() throws Exception {
      script.statuses("a", 0).statuses("b", 0);
      TaskPoller poller = fast().build();
      Object[] outcome = new Object[2];
      Thread waiter = new Thread(() -> {
        try {
          outcome[0] = poller.awaitAll(List.of("a", "b"));
        } catch (Throwable t) {
          outcome[0] = t;
        }
        outcome[1] = Thread.currentThread().isInterrupted();
      });
      waiter.start();
      assertThat(PollThreads.eventually(5000, () -> script.requests("a") >= 1 && script.requests("b") >= 1)).isTrue();

      waiter.interrupt();
      waiter.join(5000);

      assertThat(waiter.isAlive()).isFalse();
      assertThat(outcome[0]).isInstanceOfSatisfying(AILabException.class,
          e -> assertThat(e.getCause()).isInstanceOf(InterruptedException.class));
      assertThat(outcome[1]).isEqualTo(true);
      assertThat(PollThreads.eventually(1000, () -> client.timer().pending() == 0)).isTrue();
      int polls = script.total();
      assertNoMorePolls(polls);
    }
  }

  // ------------------------------------------------------------------------------------------------
  @Nested
  class Configuration {
    @Test
    void aTimeoutOver24HoursIsRefusedWithAClearMessage() {
      TaskPoller.Builder builder = TaskPoller.builder(client);

      assertThatThrownBy(() -> builder.timeout(Duration.ofHours(24).plusSeconds(1)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("24 hours").hasMessageContaining("deletes");
      builder.timeout(Duration.ofHours(24));
    }

    @Test
    void nonsensicalSettingsAreRefused() {
      TaskPoller.Builder builder = TaskPoller.builder(client);

      assertThatThrownBy(() -> builder.timeout(ZERO)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> builder.timeout(ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> builder.interval(ZERO)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> builder.interval(Duration.ofHours(25))).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> builder.initialDelay(ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> builder.initialDelay(Duration.ofHours(25))).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> builder.maxPollsPerSecond(0)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> builder.maxPollsPerSecond(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> builder.maxPollsPerSecond(Double.POSITIVE_INFINITY))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> builder.maxPollsInFlight(0)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> builder.maxPollsInFlight(65)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> builder.listener(null)).isInstanceOf(NullPointerException.class);
      assertThatThrownBy(() -> builder.interval(null)).isInstanceOf(NullPointerException.class);
      assertThatThrownBy(() -> TaskPoller.builder(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void extremeButValidSettingsWork() throws Exception {
      script.statuses("t1", 0, 2);
      TaskPoller poller = TaskPoller.builder(client).interval(Duration.ofNanos(1)).initialDelay(ZERO)
          .maxPollsPerSecond(1e12).maxPollsInFlight(64).timeout(TaskPoller.RESULT_RETENTION).build();

      assertThat(poller.awaitCompletionAsync("t1").get(5, TimeUnit.SECONDS).isCompleted()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(PollMode.class)
    void badTaskIdsAreRefusedBeforeAnyPoll(PollMode mode) throws Exception {
      TaskPoller poller = fast().build();

      assertThat(mode.start(poller, null).error()).isInstanceOf(NullPointerException.class);
      assertThat(mode.start(poller, "  ").error()).isInstanceOf(IllegalArgumentException.class);
      assertThat(mode.start(poller, "a\nb").error()).isInstanceOf(IllegalArgumentException.class);
      assertThat(mode.start(poller, "t1", null).error()).isInstanceOf(NullPointerException.class);
      assertNoMorePolls(0);
    }

    @Test
    void taskOutcomeHoldsExactlyOneOfResultAndError() {
      TaskResult result = io.github.ailabkit.internal.ResponseReader.taskResult(
          io.github.ailabkit.internal.Json.mapper().createObjectNode().put("task_status", 2));
      AILabException error = new AILabException("x");

      assertThat(new TaskOutcome("t", result, null).isSuccess()).isTrue();
      assertThat(new TaskOutcome("t", null, error).isSuccess()).isFalse();
      assertThatThrownBy(() -> new TaskOutcome("t", null, null)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> new TaskOutcome("t", result, error)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> new TaskOutcome(null, result, null)).isInstanceOf(NullPointerException.class);
    }
  }

  static void await(CountDownLatch latch) {
    try {
      latch.await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
