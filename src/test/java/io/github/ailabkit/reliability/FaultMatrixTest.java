package io.github.ailabkit.reliability;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.github.ailabkit.AILabApiException;
import io.github.ailabkit.AILabClient;
import io.github.ailabkit.AILabException;
import io.github.ailabkit.AILabIOException;
import io.github.ailabkit.AuthenticationException;
import io.github.ailabkit.ClientSeams;
import io.github.ailabkit.ErrorDetail;
import io.github.ailabkit.RateLimitException;
import io.github.ailabkit.ResultFiles;
import io.github.ailabkit.TaskFailedException;
import io.github.ailabkit.TaskPoller;
import io.github.ailabkit.TaskResult;
import io.github.ailabkit.TaskStatus;
import io.github.ailabkit.testing.PollRecorder;
import io.github.ailabkit.testing.PollScript;
import io.github.ailabkit.testing.RecordedResponses;
import io.github.ailabkit.testing.RecordedSleeper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.SocketEffect;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the SDK does with each way the API (or the network in front of it) can fail: for one query
 * ({@code getTaskResult}, default {@code maxRetries(2)}, retry waits recorded rather than slept) and for a
 * wait ({@link TaskPoller}, 10 ms interval). Every case runs under a deadline ({@value #DEADLINE_SECONDS} s),
 * so a hang fails it. "Retried" means: followed by a good answer, the query succeeds after exactly one
 * recorded wait; if the fault lasts, it fails after 1 + maxRetries requests with the error shown.
 *
 * <pre>
 * | Fault                                  | One query (getTaskResult)                                        | A wait (TaskPoller)                         |
 * |----------------------------------------|------------------------------------------------------------------|---------------------------------------------|
 * | connection refused                     | retried; then AILabIOException (cause ConnectException)          | transient: completes once reachable         |
 * | connection reset before the response   | retried; then AILabIOException                                   | transient: completes after it               |
 * | connection reset mid-body              | retried (the body is read within the attempt); then AILabIOException | transient                               |
 * | read timeout                           | retried; then AILabIOException (cause SocketTimeoutException)    | transient                                   |
 * | 200 with truncated JSON                | retried; then AILabApiException 200, isRetryable() true (*)      | transient                                   |
 * | 200 with invalid JSON                  | same as truncated JSON                                           | transient                                   |
 * | 200 with an empty body                 | same as truncated JSON                                           | transient                                   |
 * | 200 with an HTML page                  | same as truncated JSON                                           | transient                                   |
 * | 502 with an HTML page                  | retried; then AILabApiException 502, no code, no request id      | transient                                   |
 * | 408                                    | retried; then AILabApiException 408                              | transient                                   |
 * | 429 EXCEEDING_LIMITS, no Retry-After   | retried after the backoff (0.375-0.5 s); then RateLimitException | transient                                   |
 * | 429 with Retry-After: 2                | retried after exactly 2 s; RateLimitException.retryAfter() 2 s   | transient; next poll no sooner than 2 s     |
 * | 429 with an HTTP-date Retry-After      | retried at that date (client clock); then RateLimitException     | transient; next poll not before the date    |
 * | 503 with Retry-After: 0                | retried at once by the retry layer (**)                          | transient                                   |
 * | 500 PROCESSING_FAILURE                 | retried; then AILabApiException 500                              | transient                                   |
 * | 502 AI_SERVICE_ERROR                   | retried; then AILabApiException 502                              | transient                                   |
 * | 503 AI_SERVICE_FLOW_RESTRICTION        | retried; then AILabApiException 503                              | transient                                   |
 * | 504 AI_SERVICE_TIMEOUT                 | retried; then AILabApiException 504                              | transient                                   |
 * | 200 with non-empty error_detail.code   | AILabApiException (httpStatus 200, code, request id), not retried | TaskFailedException, same fields           |
 * | 200 with error_code != 0 (old form)    | AILabApiException (httpStatus 200, code from error_code_str), not retried | TaskFailedException                |
 * | 401 ERROR_USER_NOT_EXISTS              | AuthenticationException, not retried                             | AuthenticationException, as is              |
 * | 404 ERROR_RESOURCE_NOT_FOUND           | AILabApiException 404, not retried                               | TaskFailedException                         |
 * | 422 ERROR_NO_FACE_IN_FILE              | AILabApiException 422, not retried                               | TaskFailedException                         |
 * | 429 ERROR_NOT_ENOUGH_CREDITS           | RateLimitException, isOutOfCredits(), not retried                | RateLimitException, as is                   |
 * | unknown task_status (7)                | TaskResult UNKNOWN, rawTaskStatus() 7                            | keeps polling (one WARN), completes         |
 * | missing fields ({})                    | TaskResult UNKNOWN, rawTaskStatus() -1, empty ids, null data     | keeps polling, completes                    |
 * | extra fields                           | ignored; the answer is read normally                             | completes                                   |
 * | 20 MB body                             | AILabApiException 200 "larger than 16 MiB", refused unread, not retried | TaskFailedException (***)            |
 * </pre>
 *
 * <p>(*) A garbled 200 is taken as a transient fault of the transport (a proxy page, a cut-off body), so
 * the retry layer parses a 200 before handing it over. (**) OkHttp itself would repeat a 503 with
 * {@code Retry-After: 0} out of the retry layer's sight; the SDK moves the header out of its way (once a
 * regression: {@code maxRetries(0)} sent two requests). (***) The answer cannot be read, so repeating the
 * poll cannot help and the wait ends; the task itself may have completed.
 */
class FaultMatrixTest {
  private static final String KEY = "fault-matrix-key-0123456789";
  private static final String TASK_ID = "1714743372764.fb8fd68b-7f0e-1485-d003-32ee0f854a92";
  static final int DEADLINE_SECONDS = 10;
  /** No case takes longer than this, or it is considered hung. */
  private static final Duration DEADLINE = Duration.ofSeconds(DEADLINE_SECONDS);
  private static final Duration SHORT_READ_TIMEOUT = Duration.ofMillis(150);

  private MockWebServer server;
  private int refusedPort;
  private AILabClient client;

  @AfterEach
  void tearDown() {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
  }

  // ---- the matrix ----

  enum Nature {
    /** May succeed if repeated: retried by a query, survived by a wait. */
    TRANSIENT,
    /** Not an error: the answer is read as it is. */
    ANSWER,
    /** An error no repetition cures: thrown at once. */
    FINAL
  }

  /** One row of the matrix. */
  static final class Fault {
    final String name;
    final Nature nature;
    /** The faulty answer, built against the clock of the client under test; null for "connection refused". */
    Function<Clock, MockResponse> answer;
    Duration readTimeout = Duration.ofSeconds(5);
    /** TRANSIENT: the wait before the retry. */
    Consumer<Duration> retryWait = FaultMatrixTest::isFirstBackoff;
    /** TRANSIENT: the error once retries ran out (and the one a wait's listener hears); FINAL: the error. */
    Consumer<Throwable> error;
    /** ANSWER: the result of one query. */
    Consumer<TaskResult> result;
    /** ANSWER: polls a wait takes when the fault is followed by a completed answer. */
    int waitPolls;
    /** FINAL: how a wait ends. */
    Consumer<Throwable> waitError;
    /** TRANSIENT: least time between the faulty poll and the next. */
    Duration waitGap = Duration.ZERO;

    Fault(String name, Nature nature) {
      this.name = name;
      this.nature = nature;
    }

    boolean refused() {
      return answer == null;
    }

    Fault retryWaitIs(Duration expected) {
      retryWait = wait -> assertThat(wait).isEqualTo(expected);
      return this;
    }

    @Override
    public String toString() {
      return name;
    }
  }

  static List<Fault> matrix() {
    return List.of(
        io("connection refused", null, ConnectException.class),
        io("connection reset before the response", clock -> new MockResponse.Builder()
            .onResponseStart(SocketEffect.ShutdownConnection.INSTANCE).build(), IOException.class),
        io("connection reset mid-body", clock -> new MockResponse.Builder().code(200)
            .setHeader("Content-Type", "application/json")
            .body("{\"task_status\":2,\"data\":{\"image\":\"" + "x".repeat(64 * 1024) + "\"}}")
            .throttleBody(8 * 1024, 1, MILLISECONDS)
            .onResponseBody(SocketEffect.ShutdownConnection.INSTANCE).build(), IOException.class),
        readTimeout(),
        garbled200("200 with truncated JSON", "{\"request_id\":\"req-t\",\"task_status\":2,\"data\":{\"ima"),
        garbled200("200 with invalid JSON", "{\"request_id\":\"req-i\",\"task_status\":2,,\"data\":}"),
        garbled200("200 with an empty body", ""),
        garbled200("200 with an HTML page", "<html><body><h1>Welcome to nginx!</h1></body></html>"),
        api("502 with an HTML page", clock -> new MockResponse.Builder().code(502)
                .setHeader("Content-Type", "text/html")
                .body("<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>").build(),
            apiError(AILabApiException.class, 502, "", "", true)),
        api("408", clock -> RecordedResponses.error(408, "REQUEST_TIMEOUT"),
            apiError(AILabApiException.class, 408, "REQUEST_TIMEOUT", "req-REQUEST_TIMEOUT", true)),
        api("429 without Retry-After", clock -> RecordedResponses.error(429, "EXCEEDING_LIMITS"),
            apiError(RateLimitException.class, 429, "EXCEEDING_LIMITS", "req-EXCEEDING_LIMITS", true)
                .andThen(e -> assertThat(((RateLimitException) e).retryAfter()).isEmpty())),
        retryAfter("429 with Retry-After: 2", clock -> "2", Duration.ofSeconds(2), Duration.ofSeconds(2)),
        retryAfter("429 with an HTTP-date Retry-After",
            clock -> DateTimeFormatter.RFC_1123_DATE_TIME.format(clock.instant().plusSeconds(3).atZone(ZoneOffset.UTC)),
            // the recorded clock stands on a whole second; a real one loses up to a second to the date's rounding
            Duration.ofSeconds(3), Duration.ofMillis(1_500)),
        api("503 with Retry-After: 0",
            clock -> new MockResponse.Builder(RecordedResponses.error(503, "AI_SERVICE_FLOW_RESTRICTION"))
                .setHeader("Retry-After", "0").build(),
            apiError(AILabApiException.class, 503, "AI_SERVICE_FLOW_RESTRICTION", "req-AI_SERVICE_FLOW_RESTRICTION",
                true).andThen(e -> assertThat(((AILabApiException) e).retryAfter()).contains(Duration.ZERO)))
            .retryWaitIs(Duration.ZERO),
        api("500 PROCESSING_FAILURE", clock -> RecordedResponses.error(500, "PROCESSING_FAILURE"),
            apiError(AILabApiException.class, 500, "PROCESSING_FAILURE", "req-PROCESSING_FAILURE", true)),
        api("502 AI_SERVICE_ERROR", clock -> RecordedResponses.error(502, "AI_SERVICE_ERROR"),
            apiError(AILabApiException.class, 502, "AI_SERVICE_ERROR", "req-AI_SERVICE_ERROR", true)),
        api("503 AI_SERVICE_FLOW_RESTRICTION", clock -> RecordedResponses.error(503, "AI_SERVICE_FLOW_RESTRICTION"),
            apiError(AILabApiException.class, 503, "AI_SERVICE_FLOW_RESTRICTION", "req-AI_SERVICE_FLOW_RESTRICTION",
                true)),
        api("504 AI_SERVICE_TIMEOUT", clock -> RecordedResponses.error(504, "AI_SERVICE_TIMEOUT"),
            apiError(AILabApiException.class, 504, "AI_SERVICE_TIMEOUT", "req-AI_SERVICE_TIMEOUT", true)),
        terminal("200 with non-empty error_detail.code",
            RecordedResponses.json(200, RecordedResponses.errorBody("ERROR_NO_FACE_IN_FILE", "no face")),
            apiError(AILabApiException.class, 200, "ERROR_NO_FACE_IN_FILE", "req-ERROR_NO_FACE_IN_FILE", false),
            taskFailed(200, "ERROR_NO_FACE_IN_FILE", "req-ERROR_NO_FACE_IN_FILE")),
        terminal("200 with error_code != 0 (old form)", RecordedResponses.json(200, "{\"request_id\":\"req-old\","
                + "\"log_id\":\"log-old\",\"error_code\":422,\"error_code_str\":\"ERROR_NO_FACE_IN_FILE\","
                + "\"error_msg\":\"no face\"}"),
            apiError(AILabApiException.class, 200, "ERROR_NO_FACE_IN_FILE", "req-old", false),
            taskFailed(200, "ERROR_NO_FACE_IN_FILE", "req-old")),
        terminal("401 ERROR_USER_NOT_EXISTS", RecordedResponses.error(401, "ERROR_USER_NOT_EXISTS"),
            apiError(AuthenticationException.class, 401, "ERROR_USER_NOT_EXISTS", "req-ERROR_USER_NOT_EXISTS", false),
            apiError(AuthenticationException.class, 401, "ERROR_USER_NOT_EXISTS", "req-ERROR_USER_NOT_EXISTS", false)),
        terminal("404 ERROR_RESOURCE_NOT_FOUND", RecordedResponses.error(404, "ERROR_RESOURCE_NOT_FOUND"),
            apiError(AILabApiException.class, 404, "ERROR_RESOURCE_NOT_FOUND", "req-ERROR_RESOURCE_NOT_FOUND", false),
            taskFailed(404, "ERROR_RESOURCE_NOT_FOUND", "req-ERROR_RESOURCE_NOT_FOUND")),
        terminal("422 ERROR_NO_FACE_IN_FILE", RecordedResponses.error(422, "ERROR_NO_FACE_IN_FILE"),
            apiError(AILabApiException.class, 422, "ERROR_NO_FACE_IN_FILE", "req-ERROR_NO_FACE_IN_FILE", false),
            taskFailed(422, "ERROR_NO_FACE_IN_FILE", "req-ERROR_NO_FACE_IN_FILE")),
        terminal("429 ERROR_NOT_ENOUGH_CREDITS", RecordedResponses.error(429, "ERROR_NOT_ENOUGH_CREDITS"),
            outOfCredits(), outOfCredits()),
        answer("unknown task_status", RecordedResponses.json(200, "{\"request_id\":\"req-u\",\"log_id\":\"log-u\","
                + "\"error_detail\":{\"code\":\"\",\"code_message\":\"\",\"message\":\"\"},\"task_status\":7}"), 2,
            r -> {
              assertThat(r.taskStatus()).isEqualTo(TaskStatus.UNKNOWN);
              assertThat(r.rawTaskStatus()).isEqualTo(7);
              assertThat(r.requestId()).isEqualTo("req-u");
              assertThat(r.isCompleted()).isFalse();
            }),
        answer("missing fields", RecordedResponses.json(200, "{}"), 2, r -> {
          assertThat(r.taskStatus()).isEqualTo(TaskStatus.UNKNOWN);
          assertThat(r.rawTaskStatus()).isEqualTo(-1);
          assertThat(r.requestId()).isEmpty();
          assertThat(r.logId()).isEmpty();
          assertThat(r.errorDetail()).isEqualTo(ErrorDetail.NONE);
          assertThat(r.data()).isNull();
        }),
        answer("extra fields", RecordedResponses.json(200, "{\"request_id\":\"req-x\",\"log_id\":\"log-x\","
                + "\"error_detail\":{\"code\":\"\",\"code_message\":\"\",\"message\":\"\",\"status_code\":200,"
                + "\"hint\":[1,{}]},\"task_status\":2,\"progress\":{\"percent\":100},\"new_flag\":true,"
                + "\"data\":{\"image\":\"https://files.example/x.png\",\"width\":1024,\"extra\":{\"nested\":[null]}}}"),
            1, r -> {
              assertThat(r.isCompleted()).isTrue();
              assertThat(r.requestId()).isEqualTo("req-x");
              assertThat(r.errorDetail()).isEqualTo(ErrorDetail.NONE);
              assertThat(ResultFiles.urls(r)).extracting(Object::toString)
                  .containsExactly("https://files.example/x.png");
            }),
        terminal("20 MB body", clock -> new MockResponse.Builder().code(200)
                .setHeader("Content-Type", "application/json").body(new Buffer().write(new byte[20 << 20])).build(),
            apiError(AILabApiException.class, 200, "", "", false)
                .andThen(e -> assertThat(e).hasMessageContaining("larger than 16 MiB")),
            e -> assertThat(e).isInstanceOf(TaskFailedException.class).hasMessageContaining("larger than 16 MiB")));
  }

  static Stream<Fault> transientFaults() {
    return matrix().stream().filter(f -> f.nature == Nature.TRANSIENT);
  }

  static Stream<Fault> allFaults() {
    return matrix().stream();
  }

  // ---- one query ----

  @ParameterizedTest(name = "{0}")
  @MethodSource("allFaults")
  void oneQueryFollowedByAGoodAnswer_endsAsTheMatrixSays(Fault fault) {
    followedByAGoodAnswer(fault);
  }



  @ParameterizedTest(name = "{0}")
  @MethodSource("transientFaults")
  void oneQueryWhoseTransientFaultLasts_failsWithTheTypedErrorAfterMaxRetries(Fault fault) {
    faultLasts(fault);
  }


  private void followedByAGoodAnswer(Fault fault) {
    RecordedSleeper sleeper = new RecordedSleeper();
    Scripted script = new Scripted();
    String baseUrl = serve(fault, script, 1, sleeper.clock());
    script.then(PollScript.status(TASK_ID, 2));
    client = ClientSeams.recorded(builder(baseUrl, fault), sleeper, startOnce(fault, script)).build();

    Object outcome = within(() -> client.getTaskResult(TASK_ID));

    switch (fault.nature) {
      case TRANSIENT:
        assertThat(outcome).as("outcome").isInstanceOf(TaskResult.class);
        assertThat(((TaskResult) outcome).isCompleted()).isTrue();
        assertThat(script.count()).as("requests").isEqualTo(fault.refused() ? 1 : 2);
        assertThat(sleeper.sleeps()).as("waits before retrying").singleElement().satisfies(fault.retryWait::accept);
        break;
      case ANSWER:
        assertThat(outcome).as("outcome").isInstanceOf(TaskResult.class);
        fault.result.accept((TaskResult) outcome);
        assertThat(script.count()).as("requests").isEqualTo(1);
        assertThat(sleeper.sleeps()).isEmpty();
        break;
      case FINAL:
        assertThat(outcome).as("outcome").isInstanceOf(Throwable.class);
        fault.error.accept((Throwable) outcome);
        assertThat(script.count()).as("requests: not retried").isEqualTo(1);
        assertThat(script.unused()).isEqualTo(1);
        assertThat(sleeper.sleeps()).isEmpty();
        break;
      default:
        throw new AssertionError(fault.nature);
    }
  }

  private void faultLasts(Fault fault) {
    RecordedSleeper sleeper = new RecordedSleeper();
    Scripted script = new Scripted();
    String baseUrl = serve(fault, script, 3, sleeper.clock());
    client = ClientSeams.recorded(builder(baseUrl, fault).maxRetries(2), sleeper).build();

    Object outcome = within(() -> client.getTaskResult(TASK_ID));

    assertThat(outcome).as("outcome").isInstanceOf(AILabException.class);
    fault.error.accept((Throwable) outcome);
    assertThat(script.count()).as("requests: 1 + maxRetries").isEqualTo(fault.refused() ? 0 : 3);
    assertThat(sleeper.sleeps()).as("waits before retrying").hasSize(2);
  }


  /** Found by {@link ParserFuzzTest}: the value is clamped to the 60 s cap like any long Retry-After. */
  @ParameterizedTest(name = "async {0}")
  @ValueSource(booleans = {false, true})
  void aNumericRetryAfterBeyondAnIntOnA408_isClampedLikeAnyOther(boolean async) {
    hugeRetryAfter(408, async);
  }

  /** Found by {@link ParserFuzzTest}: the value is clamped to the 60 s cap like any long Retry-After. */
  @ParameterizedTest(name = "async {0}")
  @ValueSource(booleans = {false, true})
  void aNumericRetryAfterBeyondAnIntOnA503_isClampedLikeAnyOther(boolean async) {
    hugeRetryAfter(503, async);
  }

  private void hugeRetryAfter(int status, boolean async) {
    RecordedSleeper sleeper = new RecordedSleeper();
    Scripted script = new Scripted().then(new MockResponse.Builder(RecordedResponses.error(status, "SOME_CODE"))
        .setHeader("Retry-After", "99999999999999999999").build());
    server = PollScript.newServer();
    server.setDispatcher(script);
    start(0);
    client = ClientSeams.recorded(AILabClient.builder().apiKey(KEY).baseUrl(server.url("/").toString())
        .maxRetries(0), sleeper).build();

    Object outcome = within(() -> async ? client.getTaskResultAsync(TASK_ID).handle((r, e) -> e != null ? e : r)
        .get() : client.getTaskResult(TASK_ID));

    assertThat(outcome).isInstanceOf(AILabApiException.class);
    assertThat(((AILabApiException) outcome).httpStatus()).isEqualTo(status);
    assertThat(((AILabApiException) outcome).retryAfter()).contains(Duration.ofSeconds(60));
    assertThat(script.count()).isEqualTo(1);
  }

  // ---- a wait ----

  @ParameterizedTest(name = "{0}")
  @MethodSource("allFaults")
  void aWaitThroughTheFault_endsAsTheMatrixSays(Fault fault) {
    waitThrough(fault);
  }


  private void waitThrough(Fault fault) {
    Scripted script = new Scripted();
    String baseUrl = serve(fault, script, 1, Clock.systemUTC());
    script.then(PollScript.status(TASK_ID, 2));
    client = builder(baseUrl, fault).build();
    Runnable start = startOnce(fault, script);
    PollRecorder recorder = new PollRecorder() {
      @Override
      public void onTransientError(String taskId, int attempt, AILabException error) {
        super.onTransientError(taskId, attempt, error);
        start.run();
      }
    };
    TaskPoller poller = TaskPoller.builder(client).interval(Duration.ofMillis(10)).initialDelay(Duration.ZERO)
        .maxPollsPerSecond(10_000).timeout(Duration.ofSeconds(8)).listener(recorder).build();

    Object outcome = within(() -> poller.awaitCompletion(TASK_ID));

    switch (fault.nature) {
      case TRANSIENT:
        assertThat(outcome).as("outcome").isInstanceOf(TaskResult.class);
        assertThat(((TaskResult) outcome).isCompleted()).isTrue();
        assertThat(recorder.errors).as("transient errors reported").singleElement()
            .satisfies(e -> fault.error.accept(e.error()));
        assertThat(script.count()).as("polls").isEqualTo(fault.refused() ? 1 : 2);
        if (!fault.waitGap.isZero()) {
          assertThat(script.millisBetween(0)).as("ms between the faulty poll and the next")
              .isGreaterThanOrEqualTo(fault.waitGap.toMillis());
        }
        break;
      case ANSWER:
        assertThat(outcome).as("outcome").isInstanceOf(TaskResult.class);
        assertThat(((TaskResult) outcome).isCompleted()).isTrue();
        assertThat(recorder.errors).as("transient errors reported").isEmpty();
        assertThat(script.count()).as("polls").isEqualTo(fault.waitPolls);
        break;
      case FINAL:
        assertThat(outcome).as("outcome").isInstanceOf(Throwable.class);
        fault.waitError.accept((Throwable) outcome);
        assertThat(script.count()).as("polls").isEqualTo(1);
        assertThat(recorder.errors).isEmpty();
        break;
      default:
        throw new AssertionError(fault.nature);
    }
  }

  // ---- rows ----

  private static Fault io(String name, Function<Clock, MockResponse> answer, Class<? extends IOException> cause) {
    Fault fault = new Fault(name, Nature.TRANSIENT);
    fault.answer = answer;
    fault.error = e -> assertThat(e).isExactlyInstanceOf(AILabIOException.class)
        .hasMessageContaining("GET /api/common/query-async-task-result")
        .cause().isInstanceOf(cause);
    return fault;
  }

  private static Fault readTimeout() {
    Fault fault = io("read timeout", clock -> new MockResponse.Builder(PollScript.status(TASK_ID, 1))
        .headersDelay(SHORT_READ_TIMEOUT.toMillis() * 4, MILLISECONDS).build(), SocketTimeoutException.class);
    fault.readTimeout = SHORT_READ_TIMEOUT;
    return fault;
  }

  private static Fault api(String name, Function<Clock, MockResponse> answer, Consumer<Throwable> error) {
    Fault fault = new Fault(name, Nature.TRANSIENT);
    fault.answer = answer;
    fault.error = error;
    return fault;
  }

  private static Fault garbled200(String name, String body) {
    Fault fault = api(name, clock -> new MockResponse.Builder().code(200)
            .setHeader("Content-Type", body.startsWith("<") ? "text/html" : "application/json").body(body).build(),
        apiError(AILabApiException.class, 200, "", "", true));
    return fault;
  }


  private static Fault retryAfter(String name, Function<Clock, String> header, Duration recordedWait,
      Duration realWaitAtLeast) {
    Fault fault = api(name, clock -> new MockResponse.Builder(RecordedResponses.error(429, "EXCEEDING_LIMITS"))
            .setHeader("Retry-After", header.apply(clock)).build(),
        apiError(RateLimitException.class, 429, "EXCEEDING_LIMITS", "req-EXCEEDING_LIMITS", true)
            .andThen(e -> assertThat(((RateLimitException) e).retryAfter()).hasValueSatisfying(
                d -> assertThat(d).isBetween(Duration.ZERO, recordedWait))));
    fault.retryWait = wait -> assertThat(wait).isEqualTo(recordedWait);
    fault.waitGap = realWaitAtLeast;
    return fault;
  }

  private static Fault terminal(String name, MockResponse answer, Consumer<Throwable> error,
      Consumer<Throwable> waitError) {
    return terminal(name, clock -> answer, error, waitError);
  }

  /** A final fault whose answer is built only when served (the 20 MB one). */
  private static Fault terminal(String name, Function<Clock, MockResponse> answer, Consumer<Throwable> error,
      Consumer<Throwable> waitError) {
    Fault fault = new Fault(name, Nature.FINAL);
    fault.answer = answer;
    fault.error = error;
    fault.waitError = waitError;
    return fault;
  }

  private static Fault answer(String name, MockResponse answer, int waitPolls, Consumer<TaskResult> result) {
    Fault fault = new Fault(name, Nature.ANSWER);
    fault.answer = clock -> answer;
    fault.result = result;
    fault.waitPolls = waitPolls;
    return fault;
  }

  // ---- expected errors ----

  private static Consumer<Throwable> apiError(Class<? extends AILabApiException> type, int httpStatus, String code,
      String requestId, boolean retryable) {
    return e -> {
      assertThat(e).isExactlyInstanceOf(type);
      AILabApiException api = (AILabApiException) e;
      assertThat(api.httpStatus()).as("httpStatus").isEqualTo(httpStatus);
      assertThat(api.errorCode()).as("errorCode").isEqualTo(code);
      assertThat(api.requestId()).as("requestId").isEqualTo(requestId);
      assertThat(api.isRetryable()).as("isRetryable").isEqualTo(retryable);
      assertThat(api.getMessage()).startsWith("HTTP " + httpStatus);
    };
  }

  private static Consumer<Throwable> taskFailed(int httpStatus, String code, String requestId) {
    return e -> {
      assertThat(e).isExactlyInstanceOf(TaskFailedException.class);
      TaskFailedException failed = (TaskFailedException) e;
      assertThat(failed.taskId()).isEqualTo(TASK_ID);
      assertThat(failed.httpStatus()).as("httpStatus").isEqualTo(httpStatus);
      assertThat(failed.errorCode()).as("errorCode").isEqualTo(code);
      assertThat(failed.requestId()).as("requestId").isEqualTo(requestId);
      assertThat(failed.isRetryable()).isFalse();
      assertThat(failed.getCause()).isInstanceOf(AILabApiException.class);
    };
  }

  private static Consumer<Throwable> outOfCredits() {
    return apiError(RateLimitException.class, 429, "ERROR_NOT_ENOUGH_CREDITS", "req-ERROR_NOT_ENOUGH_CREDITS", false)
        .andThen(e -> assertThat(((RateLimitException) e).isOutOfCredits()).isTrue());
  }

  /** The first retry waits 0.5 s scaled by a jitter of 0.75–1.0. */
  private static void isFirstBackoff(Duration wait) {
    assertThat(wait).isBetween(Duration.ofMillis(375), Duration.ofMillis(500));
  }

  // ---- plumbing ----

  private AILabClient.Builder builder(String baseUrl, Fault fault) {
    return AILabClient.builder().apiKey(KEY).baseUrl(baseUrl).readTimeout(fault.readTimeout);
  }

  /**
   * Serves {@code times} faulty answers first and returns the base URL. For "connection refused" nothing
   * listens yet: the URL names a free port that {@link #startOnce} opens later.
   */
  private String serve(Fault fault, Scripted script, int times, Clock clock) {
    server = PollScript.newServer();
    server.setDispatcher(script);
    if (fault.refused()) {
      refusedPort = freePort();
      return "http://127.0.0.1:" + refusedPort + "/";
    }
    for (int i = 0; i < times; i++) {
      script.then(fault.answer.apply(clock));
    }
    start(0);
    return server.url("/").toString();
  }

  /** For "connection refused": what opens the port once the client has been refused; else nothing. */
  private Runnable startOnce(Fault fault, Scripted script) {
    if (!fault.refused()) {
      return () -> { };
    }
    AtomicBoolean started = new AtomicBoolean();
    return () -> {
      if (started.compareAndSet(false, true)) {
        start(refusedPort);
      }
    };
  }

  private void start(int port) {
    try {
      server.start(InetAddress.getByName("127.0.0.1"), port);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs {@code call} under the deadline; returns its result or what it threw. */
  private static Object within(Callable<?> call) {
    return assertTimeoutPreemptively(DEADLINE, () -> {
      try {
        return call.call();
      } catch (Exception e) {
        return e;
      }
    }, "the call did not end within " + DEADLINE);
  }
}
