package io.github.ailabkit;

import static io.github.ailabkit.testing.RecordedResponses.json;
import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.core.JacksonException;
import io.github.ailabkit.testing.RecordedResponses;
import io.github.ailabkit.testing.RecordedSleeper;
import io.github.ailabkit.testing.TestServers;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How answers become a {@link TaskResult} or a typed exception: both response forms, every documented
 * error status, and bodies that are not the JSON the API promises.
 */
class ResponseParsingTest {
  private static final String KEY = "test-key-0123456789";
  private static final String TASK_ID = "1714743372764.fb8fd68b-7f0e-1485-d003-32ee0f854a92";

  @StartStop final MockWebServer server = new MockWebServer();
  @StartStop final MockWebServer otherHost = new MockWebServer();

  private final RecordedSleeper sleeper = new RecordedSleeper();
  private AILabClient client;

  @BeforeEach
  void failFastWhenNothingIsEnqueued() {
    TestServers.failFast(server, otherHost);
  }

  @AfterEach
  void tearDown() {
    if (client != null) {
      client.close();
    }
  }

  /** A client that never retries, so each test sees exactly the one answer it enqueued. */
  private AILabClient client() {
    client = ClientSeams.recorded(KEY, server, sleeper).maxRetries(0).build();
    return client;
  }

  private TaskResult query(MockResponse response) {
    server.enqueue(response);
    return client().getTaskResult(TASK_ID);
  }

  private AILabApiException queryFails(MockResponse response) {
    server.enqueue(response);
    AILabApiException e = catchThrowableOfType(AILabApiException.class, () -> client().getTaskResult(TASK_ID));
    assertThat(e).as("an AILabApiException").isNotNull();
    return e;
  }

  // ---- successful answers ----

  @Test
  void newFormSuccessIsParsed() {
    TaskResult result = query(json("{\"request_id\":\"req-9\",\"log_id\":\"log-9\","
        + "\"error_detail\":{\"code\":\"\",\"code_message\":\"\",\"message\":\"\"},"
        + "\"task_status\":2,\"data\":{\"image\":\"https://cdn/x.png\"}}"));

    assertThat(result.requestId()).isEqualTo("req-9");
    assertThat(result.logId()).isEqualTo("log-9");
    assertThat(result.errorDetail()).isEqualTo(ErrorDetail.NONE);
    assertThat(result.taskStatus()).isEqualTo(TaskStatus.COMPLETED);
    assertThat(result.rawTaskStatus()).isEqualTo(2);
    assertThat(result.isCompleted()).isTrue();
    assertThat(result.data().path("image").asText()).isEqualTo("https://cdn/x.png");
  }

  @Test
  void oldFormSuccessIsParsed() {
    TaskResult result = query(json("{\"request_id\":\"req-o\",\"log_id\":\"log-o\",\"error_code\":0,"
        + "\"error_code_str\":\"\",\"error_msg\":\"\",\"error_detail\":{\"status_code\":200,\"code\":\"\","
        + "\"code_message\":\"\",\"message\":\"\"},\"task_type\":\"async\",\"task_status\":1}"));

    assertThat(result.requestId()).isEqualTo("req-o");
    assertThat(result.logId()).isEqualTo("log-o");
    assertThat(result.errorDetail().isError()).isFalse();
    assertThat(result.taskStatus()).isEqualTo(TaskStatus.PROCESSING);
    assertThat(result.data()).isNull();
  }

  @Test
  void oldFormSuccessWithNonEmptyCodeStringIsStillASuccess() {
    // Failure is: status != 200, error_code != 0, or error_detail.code non-empty. error_code_str alone is not.
    TaskResult result = query(json("{\"request_id\":\"req-o\",\"error_code\":0,\"error_code_str\":\"SUCCESS\","
        + "\"error_msg\":\"success\",\"error_detail\":{\"status_code\":200,\"code\":\"\"},\"task_status\":2,"
        + "\"data\":{\"image\":\"u\"}}"));

    assertThat(result.isCompleted()).isTrue();
    assertThat(result.errorDetail().isError()).isFalse();
    assertThat(result.data().path("image").asText()).isEqualTo("u");
  }

  @Test
  void taskStatusInsideDataIsRead() {
    TaskResult result = query(json("{\"request_id\":\"r\",\"data\":{\"task_status\":2,\"image\":\"u\"}}"));

    assertThat(result.taskStatus()).isEqualTo(TaskStatus.COMPLETED);
    assertThat(result.data().path("image").asText()).isEqualTo("u");
  }

  @Test
  void topLevelTaskStatusWinsOverDataTaskStatus() {
    TaskResult result = query(json("{\"task_status\":1,\"data\":{\"task_status\":2}}"));

    assertThat(result.taskStatus()).isEqualTo(TaskStatus.PROCESSING);
  }

  @Test
  void taskStatusSentAsStringIsRead() {
    assertThat(query(json("{\"task_status\":\"0\"}")).taskStatus()).isEqualTo(TaskStatus.QUEUED);
  }

  @Test
  void unknownTaskStatusIsUnknownWithRawValueKept() {
    TaskResult result = query(json("{\"task_status\":7}"));

    assertThat(result.taskStatus()).isEqualTo(TaskStatus.UNKNOWN);
    assertThat(result.rawTaskStatus()).isEqualTo(7);
  }

  @Test
  void missingTaskStatusIsUnknownWithRawMinusOne() {
    TaskResult result = query(json("{\"request_id\":\"r\"}"));

    assertThat(result.taskStatus()).isEqualTo(TaskStatus.UNKNOWN);
    assertThat(result.rawTaskStatus()).isEqualTo(-1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"task_status\":0}", "{\"task_status\":0,\"data\":null}"})
  void missingOrNullDataIsNull(String body) {
    TaskResult result = query(json(body));

    assertThat(result.data()).isNull();
    assertThat(result.dataAs(Image.class)).isNull();
  }

  @Test
  void unknownFieldsAreIgnored() {
    TaskResult result = query(json("{\"request_id\":\"r\",\"brand_new\":{\"x\":[1,2]},\"task_status\":2,"
        + "\"error_detail\":{\"code\":\"\",\"code_message\":\"\",\"message\":\"\",\"hint\":\"new\"},"
        + "\"output\":{\"image_url\":\"o\"},\"data\":{\"image\":\"u\",\"extra\":true}}"));

    assertThat(result.isCompleted()).isTrue();
    assertThat(result.dataAs(Image.class)).isEqualTo(new Image("u", null));
  }

  record Image(String image, List<String> images) {
  }

  @Test
  void dataAsBindsARecord() {
    TaskResult result = query(json("{\"task_status\":2,\"data\":{\"images\":[\"a\",\"b\"],\"elapsed\":3}}"));

    assertThat(result.dataAs(Image.class)).isEqualTo(new Image(null, List.of("a", "b")));
  }

  @Test
  void dataAsWithAnIncompatibleTypeThrowsAILabException() {
    TaskResult result = query(json("{\"task_status\":2,\"data\":{\"images\":{\"not\":\"a list\"}}}"));

    assertThatThrownBy(() -> result.dataAs(Image.class))
        .isInstanceOf(AILabException.class)
        .hasMessageContaining(Image.class.getName());
  }

  // ---- error answers ----

  /** Every documented error: status, code, the exception type it becomes, whether it is retryable. */
  static Stream<Arguments> documentedErrors() {
    return Stream.of(
        arguments(400, "ERROR_INVALID_PARAMETER", "AILabApiException", false),
        arguments(401, "ERROR_USER_NOT_EXISTS", "AuthenticationException", false),
        arguments(403, "ERROR_USER_LOCKED", "AuthenticationException", false),
        arguments(404, "ERROR_RESOURCE_NOT_FOUND", "AILabApiException", false),
        arguments(410, "ERROR_TASK_REVOKED", "AILabApiException", false),
        arguments(413, "FILE_SIZE_EXCEEDS_LIMIT", "AILabApiException", false),
        arguments(415, "UNSUPPORTED_FILE_TYPES", "AILabApiException", false),
        arguments(422, "ERROR_NO_FACE_IN_FILE", "AILabApiException", false),
        arguments(429, "ERROR_NOT_ENOUGH_CREDITS", "RateLimitException", false),
        arguments(429, "EXCEEDING_LIMITS", "RateLimitException", true),
        arguments(500, "PROCESSING_FAILURE", "AILabApiException", true),
        arguments(502, "AI_SERVICE_ERROR", "AILabApiException", true),
        arguments(503, "AI_SERVICE_FLOW_RESTRICTION", "AILabApiException", true),
        arguments(504, "AI_SERVICE_TIMEOUT", "AILabApiException", true));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("documentedErrors")
  void newFormErrorBecomesTypedException(int status, String code, String type, boolean retryable) {
    AILabApiException e = queryFails(RecordedResponses.error(status, code));

    assertErrorMapped(e, status, code, type, retryable);
    assertThat(e.requestId()).isEqualTo("req-" + code);
    assertThat(e.logId()).isEqualTo("log-" + code);
    assertThat(e.errorDetail().message()).isEqualTo("something went wrong");
    assertThat(e.getMessage()).contains("something went wrong");
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("documentedErrors")
  void oldFormErrorBecomesTypedException(int status, String code, String type, boolean retryable) {
    // Old form with only error_code / error_code_str / error_msg at the top and a bare status_code in error_detail.
    AILabApiException e = queryFails(json(status, "{\"request_id\":\"req-old\",\"log_id\":\"log-old\","
        + "\"error_code\":" + status + ",\"error_code_str\":\"" + code + "\",\"error_msg\":\"old message\","
        + "\"error_detail\":{\"status_code\":" + status + "}}"));

    assertErrorMapped(e, status, code, type, retryable);
    assertThat(e.requestId()).isEqualTo("req-old");
    assertThat(e.logId()).isEqualTo("log-old");
    assertThat(e.errorDetail().message()).isEqualTo("old message");
  }

  private void assertErrorMapped(AILabApiException e, int status, String code, String type, boolean retryable) {
    assertThat(e.getClass().getSimpleName()).isEqualTo(type);
    assertThat(e.httpStatus()).isEqualTo(status);
    assertThat(e.errorCode()).isEqualTo(code);
    assertThat(e.isRetryable()).isEqualTo(retryable);
    assertThat(e.getMessage()).contains("HTTP " + status).contains(code);
    assertThat(e.getCause()).isNull();
  }

  @Test
  void outOfCreditsIsVisibleOnRateLimitException() {
    RateLimitException credits = (RateLimitException) queryFails(RecordedResponses.error(429, "ERROR_NOT_ENOUGH_CREDITS"));
    RateLimitException limit = (RateLimitException) queryFails(RecordedResponses.error(429, "EXCEEDING_LIMITS"));

    assertThat(credits.isOutOfCredits()).isTrue();
    assertThat(limit.isOutOfCredits()).isFalse();
  }

  @Test
  void retryAfterIsExposedOnTheException() {
    AILabApiException e = queryFails(new MockResponse.Builder(RecordedResponses.error(503, "AI_SERVICE_FLOW_RESTRICTION"))
        .setHeader("Retry-After", "7").build());

    assertThat(e.retryAfter()).contains(Duration.ofSeconds(7));
  }

  @Test
  void oldFormErrorCodeInsideA200IsAnError() throws Exception {
    AILabApiException e = queryFails(json("{\"request_id\":\"r422\",\"log_id\":\"l422\",\"error_code\":422,"
        + "\"error_code_str\":\"ERROR_NO_FACE_IN_FILE\",\"error_msg\":\"no face\"}"));

    assertThat(e).isExactlyInstanceOf(AILabApiException.class);
    assertThat(e.httpStatus()).isEqualTo(200);
    assertThat(e.errorCode()).isEqualTo("ERROR_NO_FACE_IN_FILE");
    assertThat(e.requestId()).isEqualTo("r422");
    assertThat(e.logId()).isEqualTo("l422");
    assertThat(e.isRetryable()).isFalse();
    assertThat(e.getMessage()).contains("HTTP 200").contains("422").contains("no face");
    assertThat(server.takeRequest(100, MILLISECONDS)).isNotNull();
    assertThat(server.takeRequest(100, MILLISECONDS)).isNull();
  }

  @Test
  void nonEmptyErrorDetailCodeInsideA200IsAnError() {
    AILabApiException e = queryFails(json(RecordedResponses.errorBody("ERROR_NO_FACE_IN_FILE", "no face")));

    assertThat(e).isExactlyInstanceOf(AILabApiException.class);
    assertThat(e.httpStatus()).isEqualTo(200);
    assertThat(e.errorCode()).isEqualTo("ERROR_NO_FACE_IN_FILE");
    assertThat(e.requestId()).isEqualTo("req-ERROR_NO_FACE_IN_FILE");
    assertThat(e.isRetryable()).isFalse();
  }

  /** A 200 whose new-form error names its status only in error_detail.status_code is typed by that status. */
  @ParameterizedTest(name = "status_code {0}")
  @CsvSource({
      "401, ERROR_API_KEY_INVALID, AuthenticationException, false",
      "429, SOME_CODE, RateLimitException, true",
      "503, SOME_CODE, AILabApiException, true"})
  void newFormErrorInsideA200IsTypedByErrorDetailStatusCode(int statusCode, String code, String type,
      boolean retryable) {
    AILabApiException e = queryFails(json("{\"request_id\":\"r\",\"error_detail\":{\"status_code\":" + statusCode
        + ",\"code\":\"" + code + "\",\"code_message\":\"summary\",\"message\":\"why\"}}"));

    assertThat(e.getClass().getSimpleName()).isEqualTo(type);
    assertThat(e.httpStatus()).isEqualTo(200);
    assertThat(e.isRetryable()).isEqualTo(retryable);
    assertThat(e.getMessage()).startsWith("HTTP 200 (error_code " + statusCode + ") " + code);
  }

  @Test
  void anExcerptThatWasCutIsMarkedAsCutAndAShortOneIsNot() {
    AILabApiException cut = queryFails(new MockResponse.Builder().code(502).body("x".repeat(1_000)).build());
    assertThat(cut.getMessage()).endsWith("x".repeat(200) + "...");

    server.enqueue(new MockResponse.Builder().code(502).body("short page").build());
    AILabApiException whole = catchThrowableOfType(AILabApiException.class, () -> client.getTaskResult(TASK_ID));
    assertThat(whole.getMessage()).endsWith(": short page");
  }

  @Test
  void errorInsideA200IsNotRetried() throws Exception {
    server.enqueue(json("{\"error_code\":422,\"error_code_str\":\"ERROR_NO_FACE_IN_FILE\"}"));
    client = ClientSeams.recorded(KEY, server, sleeper).maxRetries(2).build();

    assertThatThrownBy(() -> client.getTaskResult(TASK_ID)).isInstanceOf(AILabApiException.class);
    assertThat(server.takeRequest(100, MILLISECONDS)).isNotNull();
    assertThat(server.takeRequest(100, MILLISECONDS)).isNull();
    assertThat(sleeper.sleeps()).isEmpty();
  }

  // ---- bodies that are not the API's JSON ----

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(delimiter = '|', value = {
      "502 | <html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html> | 502 Bad Gateway",
      "500 | '' | empty body",
      "200 | {\"task_status\":2,\"data\":{\"ima | {\"task_status\":2",
      "200 | [{\"task_status\":2}] | [{\"task_status\":2}]",
      "200 | \"ok\" | \"ok\"",
      "200 | null | null",
      "200 | not json at all | not json at all",
  })
  void bodyThatIsNotAJsonObjectBecomesApiExceptionWithExcerpt(int status, String body, String excerpt) {
    AILabApiException e = queryFails(new MockResponse.Builder().code(status).body(body).build());

    assertThat(e).isExactlyInstanceOf(AILabApiException.class);
    assertThat(e.httpStatus()).isEqualTo(status);
    assertThat(e.getMessage()).startsWith("HTTP " + status).contains(excerpt);
    assertThat(e.getCause()).matches(cause -> !(cause instanceof JacksonException), "not a Jackson exception");
    assertThat(e.errorDetail()).isEqualTo(ErrorDetail.NONE);
  }

  @Test
  void hugeHtmlErrorPageIsCutToAShortExcerpt() {
    String page = "<html><body>" + "Service Unavailable. ".repeat(5_000) + "</body></html>";

    AILabApiException e = queryFails(new MockResponse.Builder().code(503)
        .setHeader("Content-Type", "text/html").body(page).build());

    assertThat(e.httpStatus()).isEqualTo(503);
    assertThat(e.getMessage()).contains("Service Unavailable").hasSizeLessThan(400);
  }

  @Test
  void bodyTooLargeToBufferIsRefusedUnreadAndItsConnectionReleased() {
    OkHttpClient http = new OkHttpClient.Builder().connectionPool(new ConnectionPool()).build();
    server.enqueue(new MockResponse.Builder().code(200).body(new Buffer().write(new byte[17 << 20])).build());
    client = AILabClient.builder().apiKey(KEY).baseUrl(server.url("/").toString()).maxRetries(0)
        .okHttpClient(http).build();

    assertThatThrownBy(() -> client.getTaskResult(TASK_ID))
        .isExactlyInstanceOf(AILabApiException.class)
        .hasMessageContaining("larger than 16 MiB");
    assertThat(http.connectionPool().idleConnectionCount()).isEqualTo(http.connectionPool().connectionCount());
    TestServers.shutDown(http);
  }

  // ---- redirects ----

  @ParameterizedTest
  @ValueSource(ints = {301, 302, 307, 308})
  void redirectIsNotFollowedAndIsReportedAsApiException(int status) throws Exception {
    otherHost.enqueue(RecordedResponses.taskStatus(2));

    AILabApiException e = queryFails(new MockResponse.Builder().code(status)
        .setHeader("Location", otherHost.url("/steal?task_id=" + TASK_ID)).build());

    assertThat(e).isExactlyInstanceOf(AILabApiException.class);
    assertThat(e.httpStatus()).isEqualTo(status);
    assertThat(e.getMessage()).contains("redirect");
    assertThat(e.isRetryable()).isFalse();
    assertThat(server.takeRequest(100, MILLISECONDS)).isNotNull();
    assertThat(server.takeRequest(100, MILLISECONDS)).isNull();
    assertThat(otherHost.takeRequest(100, MILLISECONDS)).isNull();
  }
}
