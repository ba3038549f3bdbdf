package io.github.ailabkit;

import static io.github.ailabkit.testing.RecordedResponses.error;
import static io.github.ailabkit.testing.RecordedResponses.taskStatus;
import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.ailabkit.internal.Backoff;
import io.github.ailabkit.internal.RetryAfter;
import io.github.ailabkit.testing.Images;
import io.github.ailabkit.testing.RecordedResponses;
import io.github.ailabkit.testing.RecordedSleeper;
import io.github.ailabkit.testing.TestServers;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import mockwebserver3.junit5.StartStop;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The retry layer, with sleeps recorded instead of spent: what is retried, how long it waits, and when
 * it gives up. The recorded sleeper's clock advances by each sleep, so call deadlines play out as well.
 */
class RetryTest {
  private static final String KEY = "test-key-0123456789";
  private static final String TASK_ID = "1714743372764.fb8fd68b-7f0e-1485-d003-32ee0f854a92";
  private static final String TARGET = "/api/common/query-async-task-result?task_id=" + TASK_ID;
  private static final Duration FIRST_MIN = Duration.ofMillis(375);
  private static final Duration FIRST_MAX = Duration.ofMillis(500);
  private static final Duration SECOND_MIN = Duration.ofMillis(750);
  private static final Duration SECOND_MAX = Duration.ofMillis(1000);

  @StartStop final MockWebServer server = new MockWebServer();

  private final RecordedSleeper sleeper = new RecordedSleeper();
  private AILabClient client;
  private OkHttpClient suppliedHttp;

  @BeforeEach
  void failFastWhenNothingIsEnqueued() {
    TestServers.failFast(server);
  }

  @AfterEach
  void tearDown() {
    if (client != null) {
      client.close();
    }
    TestServers.shutDown(suppliedHttp);
  }

  private AILabClient.Builder builder() {
    return ClientSeams.recorded(KEY, server, sleeper);
  }

  private AILabClient client() {
    client = builder().build();
    return client;
  }

  private void assertRequests(int count) throws InterruptedException {
    for (int i = 1; i <= count; i++) {
      RecordedRequest request = server.takeRequest(1, SECONDS);
      assertThat(request).as("request %d of %d", i, count).isNotNull();
      assertThat(request.getMethod()).isEqualTo("GET");
      assertThat(request.getTarget()).isEqualTo(TARGET);
      assertThat(request.getHeaders().get("ailabapi-api-key")).isEqualTo(KEY);
    }
    assertThat(server.takeRequest(100, MILLISECONDS)).as("no request beyond %d", count).isNull();
  }

  private static MockResponse withRetryAfter(MockResponse response, String value) {
    return new MockResponse.Builder(response).setHeader("Retry-After", value).build();
  }

  // ---- what is retried ----

  @Test
  void flowRestrictionThenSuccessRetriesOnceAfterOneBackoff() throws Exception {
    server.enqueue(error(503, "AI_SERVICE_FLOW_RESTRICTION"));
    server.enqueue(taskStatus(2));

    TaskResult result = client().getTaskResult(TASK_ID);

    assertThat(result.isCompleted()).isTrue();
    assertRequests(2);
    assertThat(sleeper.sleeps()).singleElement().satisfies(d -> assertThat(d).isBetween(FIRST_MIN, FIRST_MAX));
  }

  @Test
  void serverErrorsUntilRetriesRunOutGiveUpAfterMaxRetriesPlusOneRequests() throws Exception {
    server.enqueue(error(500, "PROCESSING_FAILURE"));
    server.enqueue(error(500, "PROCESSING_FAILURE"));
    server.enqueue(error(500, "PROCESSING_FAILURE"));
    server.enqueue(taskStatus(2));
    client = builder().maxRetries(2).build();

    assertThatThrownBy(() -> client.getTaskResult(TASK_ID))
        .isExactlyInstanceOf(AILabApiException.class)
        .satisfies(e -> assertThat(((AILabApiException) e).httpStatus()).isEqualTo(500));
    assertRequests(3);
    assertThat(sleeper.sleeps()).hasSize(2);
  }

  @Test
  void maxRetriesZeroSendsOneRequest() throws Exception {
    server.enqueue(error(503, "AI_SERVICE_FLOW_RESTRICTION"));
    server.enqueue(taskStatus(2));
    client = builder().maxRetries(0).build();

    assertThatThrownBy(() -> client.getTaskResult(TASK_ID)).isInstanceOf(AILabApiException.class);
    assertRequests(1);
    assertThat(sleeper.sleeps()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(ints = {408, 429, 500, 502, 503, 504})
  void transientStatusesAreRetried(int status) throws Exception {
    server.enqueue(RecordedResponses.json(status, "{\"request_id\":\"r\"}"));
    server.enqueue(taskStatus(1));

    assertThat(client().getTaskResult(TASK_ID).taskStatus()).isEqualTo(TaskStatus.PROCESSING);
    assertRequests(2);
  }

  @ParameterizedTest
  @ValueSource(ints = {400, 401, 403, 404, 410, 413, 415, 422, 501, 505})
  void finalStatusesAreNotRetried(int status) throws Exception {
    server.enqueue(error(status, "SOME_CODE"));
    server.enqueue(taskStatus(2));

    assertThatThrownBy(() -> client().getTaskResult(TASK_ID))
        .isInstanceOf(AILabApiException.class)
        .satisfies(e -> assertThat(((AILabApiException) e).httpStatus()).isEqualTo(status));
    assertRequests(1);
    assertThat(sleeper.sleeps()).isEmpty();
  }

  @Test
  void outOfCreditsIsNotRetried() throws Exception {
    server.enqueue(withRetryAfter(error(429, "ERROR_NOT_ENOUGH_CREDITS"), "1"));
    server.enqueue(taskStatus(2));

    assertThatThrownBy(() -> client().getTaskResult(TASK_ID))
        .isInstanceOf(RateLimitException.class)
        .satisfies(e -> assertThat(((RateLimitException) e).isRetryable()).isFalse());
    assertRequests(1);
    assertThat(sleeper.sleeps()).isEmpty();
  }

  @Test
  void outOfCreditsInTheOldFormIsNotRetried() throws Exception {
    server.enqueue(RecordedResponses.json(429, "{\"error_code\":429,\"error_code_str\":\"ERROR_NOT_ENOUGH_CREDITS\","
        + "\"error_msg\":\"no credits\",\"error_detail\":{\"status_code\":429}}"));
    server.enqueue(taskStatus(2));

    assertThatThrownBy(() -> client().getTaskResult(TASK_ID)).isInstanceOf(RateLimitException.class);
    assertRequests(1);
  }

  @Test
  void requestLimitIsRetried() throws Exception {
    server.enqueue(error(429, "EXCEEDING_LIMITS"));
    server.enqueue(taskStatus(2));

    assertThat(client().getTaskResult(TASK_ID).isCompleted()).isTrue();
    assertRequests(2);
  }

  @Test
  void asyncCallsAreRetriedToo() throws Exception {
    server.enqueue(error(502, "AI_SERVICE_ERROR"));
    server.enqueue(taskStatus(2));

    assertThat(client().getTaskResultAsync(TASK_ID).get(5, SECONDS).isCompleted()).isTrue();
    assertRequests(2);
    assertThat(sleeper.sleeps()).hasSize(1);
  }

  // ---- how long it waits ----

  @Test
  void backoffWaitsAboutHalfASecondThenAboutOneSecond() throws Exception {
    server.enqueue(error(503, "AI_SERVICE_FLOW_RESTRICTION"));
    server.enqueue(error(503, "AI_SERVICE_FLOW_RESTRICTION"));
    server.enqueue(taskStatus(2));
    client = builder().maxRetries(2).build();

    client.getTaskResult(TASK_ID);

    assertRequests(3);
    assertThat(sleeper.sleeps()).hasSize(2);
    assertThat(sleeper.sleeps().get(0)).isBetween(FIRST_MIN, FIRST_MAX);
    assertThat(sleeper.sleeps().get(1)).isBetween(SECOND_MIN, SECOND_MAX);
  }

  @Test
  void backoffStaysWithinItsJitterRangeAndCap() {
    for (int retry = 1; retry <= 12; retry++) {
      long base = Math.min(8_000, 500L << (retry - 1));
      for (int i = 0; i < 200; i++) {
        assertThat(Backoff.delay(retry).toMillis()).as("retry %d", retry).isBetween(base * 3 / 4, base);
      }
    }
  }

  @ParameterizedTest(name = "Retry-After: {0}")
  @CsvSource({"3, 3000", "0, 0", "59, 59000", "1.5, 1500"})
  void retryAfterSecondsIsHonoured(String value, long millis) throws Exception {
    server.enqueue(withRetryAfter(error(429, "EXCEEDING_LIMITS"), value));
    server.enqueue(taskStatus(2));

    client().getTaskResult(TASK_ID);

    assertRequests(2);
    assertThat(sleeper.sleeps()).containsExactly(Duration.ofMillis(millis));
  }

  @Test
  void retryAfterOnA503IsHonoured() throws Exception {
    server.enqueue(withRetryAfter(error(503, "AI_SERVICE_FLOW_RESTRICTION"), "2"));
    server.enqueue(taskStatus(2));

    client().getTaskResult(TASK_ID);

    assertThat(sleeper.sleeps()).containsExactly(Duration.ofSeconds(2));
  }

  @Test
  void retryAfterHttpDateIsHonouredAgainstTheClock() throws Exception {
    String inFiveSeconds = DateTimeFormatter.RFC_1123_DATE_TIME
        .format(RecordedSleeper.START.plusSeconds(5).atZone(ZoneOffset.UTC));
    server.enqueue(withRetryAfter(error(429, "EXCEEDING_LIMITS"), inFiveSeconds));
    server.enqueue(taskStatus(2));

    client().getTaskResult(TASK_ID);

    assertRequests(2);
    assertThat(inFiveSeconds).isEqualTo("Wed, 21 Oct 2015 07:28:05 GMT");
    assertThat(sleeper.sleeps()).containsExactly(Duration.ofSeconds(5));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "Wed, 21 Oct 2015 07:27:00 GMT", "Tue, 20 Oct 2015 07:28:00 GMT", "-5", "-0.5", "soon", "NaN", "Infinity",
      "-Infinity", "1e309", "0x10", "3d", "", "  ", "Wed, 99 Foo 2015"})
  void pastDatesAndUnreadableRetryAfterNeverCauseABrokenWait(String value) throws Exception {
    server.enqueue(withRetryAfter(error(503, "AI_SERVICE_FLOW_RESTRICTION"), value));
    server.enqueue(taskStatus(2));

    client().getTaskResult(TASK_ID);

    assertRequests(2);
    assertThat(sleeper.sleeps()).singleElement()
        .satisfies(d -> assertThat(d).isBetween(Duration.ZERO, FIRST_MAX));
  }

  @Test
  void hugeRetryAfterIsClampedToTheCap() throws Exception {
    server.enqueue(withRetryAfter(error(429, "EXCEEDING_LIMITS"), "10000"));
    server.enqueue(taskStatus(2));

    client().getTaskResult(TASK_ID);

    assertRequests(2);
    assertThat(sleeper.sleeps()).containsExactly(RetryAfter.CAP);
    assertThat(RetryAfter.CAP).isEqualTo(Duration.ofSeconds(60));
  }

  /** Seconds whose milliseconds overflow a long must still give the cap, not a wrapped-around wait. */
  @ParameterizedTest(name = "Retry-After: {0}")
  @ValueSource(strings = {"18446744073709552", "9223372036854776", "99999999999999999999"})
  void retryAfterSecondsBeyondTheRangeOfALongAreClampedToTheCap(String value) throws Exception {
    server.enqueue(withRetryAfter(error(429, "EXCEEDING_LIMITS"), value));
    server.enqueue(taskStatus(2));

    client().getTaskResult(TASK_ID);

    assertRequests(2);
    assertThat(sleeper.sleeps()).containsExactly(RetryAfter.CAP);
  }

  @Test
  void hugeRetryAfterDateIsClampedToTheCap() throws Exception {
    server.enqueue(withRetryAfter(error(429, "EXCEEDING_LIMITS"), "Thu, 22 Oct 2015 07:28:00 GMT"));
    server.enqueue(taskStatus(2));

    client().getTaskResult(TASK_ID);

    assertThat(sleeper.sleeps()).containsExactly(RetryAfter.CAP);
  }

  // ---- the call deadline ----

  @Test
  void backoffLongerThanTheCallTimeoutIsNotWaited() throws Exception {
    server.enqueue(error(503, "AI_SERVICE_FLOW_RESTRICTION"));
    server.enqueue(taskStatus(2));
    client = builder().callTimeout(Duration.ofMillis(300)).build();

    assertThatThrownBy(() -> client.getTaskResult(TASK_ID))
        .isInstanceOf(AILabApiException.class)
        .satisfies(e -> assertThat(((AILabApiException) e).httpStatus()).isEqualTo(503));
    assertRequests(1);
    assertThat(sleeper.sleeps()).isEmpty();
  }

  @Test
  void retriesStopWhenTheNextWaitWouldPassTheDeadline() throws Exception {
    // 1 s allows the first backoff (at most 0.5 s) but not the second (at least 0.75 s more).
    server.enqueue(error(503, "AI_SERVICE_FLOW_RESTRICTION"));
    server.enqueue(error(503, "AI_SERVICE_FLOW_RESTRICTION"));
    server.enqueue(taskStatus(2));
    client = builder().callTimeout(Duration.ofSeconds(1)).maxRetries(5).build();

    assertThatThrownBy(() -> client.getTaskResult(TASK_ID)).isInstanceOf(AILabApiException.class);
    assertRequests(2);
    assertThat(sleeper.sleeps()).singleElement().satisfies(d -> assertThat(d).isBetween(FIRST_MIN, FIRST_MAX));
  }

  @Test
  void retryAfterPastTheDeadlineIsNotWaited() throws Exception {
    server.enqueue(withRetryAfter(error(429, "EXCEEDING_LIMITS"), "30"));
    server.enqueue(taskStatus(2));
    client = builder().callTimeout(Duration.ofSeconds(10)).build();

    RateLimitException e = catchThrowableOfType(RateLimitException.class, () -> client.getTaskResult(TASK_ID));

    assertThat(e.retryAfter()).contains(Duration.ofSeconds(30));
    assertRequests(1);
    assertThat(sleeper.sleeps()).isEmpty();
  }

  // ---- I/O failures and connection hygiene ----

  @Test
  void disconnectAtResponseStartThenSuccessRetries() throws Exception {
    server.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.ShutdownConnection.INSTANCE).build());
    server.enqueue(taskStatus(2));

    assertThat(client().getTaskResult(TASK_ID).isCompleted()).isTrue();
    assertRequests(2);
    assertThat(sleeper.sleeps()).hasSize(1);
  }

  @Test
  void disconnectMidBodyThenSuccessRetries() throws Exception {
    server.enqueue(new MockResponse.Builder()
        .body("{\"task_status\":2,\"data\":{\"image\":\"" + "x".repeat(64 * 1024) + "\"}}")
        .throttleBody(1024, 1, MILLISECONDS)
        .onResponseBody(SocketEffect.ShutdownConnection.INSTANCE)
        .build());
    server.enqueue(taskStatus(2));

    assertThat(client().getTaskResult(TASK_ID).isCompleted()).isTrue();
    assertRequests(2);
    assertThat(sleeper.sleeps()).hasSize(1);
  }

  @Test
  void disconnectOnEveryTryEndsInAILabIOException() throws Exception {
    for (int i = 0; i < 3; i++) {
      server.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.ShutdownConnection.INSTANCE).build());
    }
    client = builder().maxRetries(2).build();

    assertThatThrownBy(() -> client.getTaskResult(TASK_ID))
        .isInstanceOf(AILabIOException.class)
        .hasMessageContaining("GET /api/common/query-async-task-result");
    assertRequests(3);
    assertThat(sleeper.sleeps()).hasSize(2);
  }

  @Test
  void failedResponseIsClosedSoTheConnectionIsReused() throws Exception {
    suppliedHttp = new OkHttpClient.Builder().connectionPool(new ConnectionPool()).build();
    server.enqueue(RecordedResponses.json(503, RecordedResponses.errorBody("AI_SERVICE_FLOW_RESTRICTION",
        "busy " + "y".repeat(200_000))));
    server.enqueue(RecordedResponses.json(500, RecordedResponses.errorBody("PROCESSING_FAILURE", "again")));
    server.enqueue(taskStatus(2));
    client = builder().okHttpClient(suppliedHttp).build();

    client.getTaskResult(TASK_ID);

    RecordedRequest first = server.takeRequest();
    RecordedRequest second = server.takeRequest();
    RecordedRequest third = server.takeRequest();
    assertThat(second.getConnectionIndex()).isEqualTo(first.getConnectionIndex());
    assertThat(third.getConnectionIndex()).isEqualTo(first.getConnectionIndex());
    assertThat(third.getExchangeIndex()).isEqualTo(2);
    assertThat(suppliedHttp.connectionPool().connectionCount()).isEqualTo(1);
    assertThat(suppliedHttp.connectionPool().idleConnectionCount())
        .as("no connection is still held by an unclosed response").isEqualTo(1);
  }

  @Test
  void finalErrorResponseIsClosedToo() throws Exception {
    suppliedHttp = new OkHttpClient.Builder().connectionPool(new ConnectionPool()).build();
    server.enqueue(error(404, "ERROR_RESOURCE_NOT_FOUND"));
    server.enqueue(new MockResponse.Builder().code(502).body("<html>" + "z".repeat(100_000) + "</html>").build());
    client = builder().okHttpClient(suppliedHttp).maxRetries(0).build();

    assertThatThrownBy(() -> client.getTaskResult(TASK_ID)).isInstanceOf(AILabApiException.class);
    assertThatThrownBy(() -> client.getTaskResult(TASK_ID)).isInstanceOf(AILabApiException.class);

    assertThat(suppliedHttp.connectionPool().idleConnectionCount())
        .isEqualTo(suppliedHttp.connectionPool().connectionCount()).isEqualTo(1);
  }

  // ---- regressions: OkHttp's own silent retry on a reused connection ----

  /**
   * A read dropped without an answer on a reused connection cannot be told from a stale pooled one: it is
   * repeated once at once on a fresh connection, which is not a retry (issue 10: stale connections). On
   * that fresh connection {@code maxRetries(0)} holds again: a second drop ends the call.
   */
  @Test
  void aReadDroppedOnAReusedConnectionIsRepeatedOnceOnAFreshOneThenMaxRetriesZeroHolds() throws Exception {
    server.enqueue(taskStatus(0));
    server.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.ShutdownConnection.INSTANCE).build());
    server.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.ShutdownConnection.INSTANCE).build());
    server.enqueue(taskStatus(2));
    client = builder().maxRetries(0).build();
    client.getTaskResult(TASK_ID);

    assertThatThrownBy(() -> client.getTaskResult(TASK_ID)).isInstanceOf(AILabIOException.class);
    assertRequests(3);
  }

  @Test
  void submitIsNotResentAfterTheServerReceivedIt(@TempDir Path dir) throws Exception {
    // A submit creates (and bills) a task: once the server may have it, only the caller may decide to send it again.
    server.enqueue(taskStatus(0));
    server.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.ShutdownConnection.INSTANCE).build());
    server.enqueue(RecordedResponses.json("{\"task_id\":\"duplicate\"}"));
    client = client();
    client.getTaskResult(TASK_ID);
    Form form = Form.create().file("image", Images.write(dir, "me.png", ImageFormat.PNG, 1024));

    assertThatThrownBy(() -> client.submit(Endpoints.AI_BALD, form)).isInstanceOf(AILabIOException.class);

    assertThat(server.takeRequest().getMethod()).isEqualTo("GET");
    assertThat(server.takeRequest().getMethod()).isEqualTo("POST");
    assertThat(server.takeRequest(100, MILLISECONDS)).as("the submit is not sent a second time").isNull();
    assertThat(sleeper.sleeps()).isEmpty();
  }

  @Test
  void failedResponseTooLargeToBufferIsClosedBeforeTheNextTry() throws Exception {
    // Bigger than the retry layer buffers, so the body is not read to the end: only close() frees the connection.
    suppliedHttp = new OkHttpClient.Builder().connectionPool(new ConnectionPool()).build();
    server.enqueue(new MockResponse.Builder().code(503).body(new okio.Buffer().write(new byte[17 << 20])).build());
    server.enqueue(taskStatus(2));
    client = builder().okHttpClient(suppliedHttp).build();

    assertThat(client.getTaskResult(TASK_ID).isCompleted()).isTrue();

    assertRequests(2);
    assertThat(suppliedHttp.connectionPool().idleConnectionCount())
        .as("no connection is still held by an unclosed response")
        .isEqualTo(suppliedHttp.connectionPool().connectionCount());
  }

  @Test
  void interruptWhileWaitingStopsRetryingAndKeepsTheFlag() throws Exception {
    server.enqueue(error(503, "AI_SERVICE_FLOW_RESTRICTION"));
    server.enqueue(taskStatus(2));
    client = AILabClient.builder().apiKey(KEY).baseUrl(server.url("/").toString())
        .sleeper(d -> {
          throw new InterruptedException("test");
        })
        .build();

    try {
      assertThatThrownBy(() -> client.getTaskResult(TASK_ID))
          .isInstanceOf(AILabIOException.class)
          .hasCauseInstanceOf(InterruptedIOException.class);
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
    assertRequests(1);
  }
}
