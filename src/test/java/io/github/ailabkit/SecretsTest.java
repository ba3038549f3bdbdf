package io.github.ailabkit;

import static io.github.ailabkit.testing.RecordedResponses.json;
import static io.github.ailabkit.testing.RecordedResponses.taskStatus;
import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.ailabkit.internal.ApiKeyInterceptor;
import io.github.ailabkit.testing.LogCapture;
import io.github.ailabkit.testing.RecordedSleeper;
import io.github.ailabkit.testing.TestServers;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import mockwebserver3.junit5.StartStop;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/**
 * The API key and user input: checked before anything is sent, never printed, logged or put in an
 * exception, and sent to the base URL's origin only ({@code internal.ApiKeyInterceptorTest} checks the
 * interceptor that enforces it on its own).
 */
class SecretsTest {
  private static final String KEY = "sk-SECRET-0123456789abcdef";
  private static final String TASK_ID = "1714743372764.fb8fd68b-7f0e-1485-d003-32ee0f854a92";
  private static final String HTTP_LOGGER = "io.github.ailabkit.http";

  @StartStop final MockWebServer server = new MockWebServer();
  @StartStop final MockWebServer otherHost = new MockWebServer();

  private final RecordedSleeper sleeper = new RecordedSleeper();
  private AILabClient client;
  private OkHttpClient suppliedHttp;

  @BeforeEach
  void failFastWhenNothingIsEnqueued() {
    TestServers.failFast(server, otherHost);
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

  private static String everythingPrinted(Throwable e) {
    StringWriter out = new StringWriter();
    e.printStackTrace(new PrintWriter(out));
    return out.toString();
  }

  // ---- the key is checked before anything is sent ----

  @Test
  void nullApiKeyIsRejected() {
    assertThatThrownBy(() -> AILabClient.builder().apiKey(null)).isInstanceOf(NullPointerException.class);
    assertThat(server.getRequestCount()).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "\t", "\n \r"})
  void blankApiKeyIsRejected(String key) {
    assertThatThrownBy(() -> AILabClient.builder().apiKey(key)).isInstanceOf(IllegalArgumentException.class);
    assertThat(server.getRequestCount()).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"\r\nX-Injected: 1", "\n", "\u0000", "\u007f", " inner space", "\t", "é", "\u2028"})
  void apiKeyWithControlOrNonAsciiCharacterIsRejectedWithoutEchoingIt(String bad) {
    String key = KEY + bad + "tail";

    Throwable e = catchThrowable(() -> AILabClient.builder().apiKey(key));

    assertThat(e).isInstanceOf(IllegalArgumentException.class);
    assertThat(everythingPrinted(e)).doesNotContain(KEY).doesNotContain("tail");
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void fromEnvWithAMalformedKeyDoesNotEchoIt() {
    Throwable e = catchThrowable(() -> AILabClient.builder().fromEnv(Map.of("AILAB_API_KEY", KEY + "\u0001x")));

    assertThat(e).isInstanceOf(IllegalArgumentException.class);
    assertThat(everythingPrinted(e)).doesNotContain(KEY);
  }

  // ---- task ids are checked before anything is sent ----

  @Test
  void nullTaskIdIsRejectedAndNothingIsSent() throws Exception {
    client = builder().build();

    assertThatThrownBy(() -> client.getTaskResult(null)).isInstanceOf(NullPointerException.class);
    assertThat(server.takeRequest(100, MILLISECONDS)).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "\t\n", "abc\u0000", "abc\r\nHost: evil", "a\u0007b", "a\u0085b", "\u007f"})
  void blankOrControlCharacterTaskIdIsRejectedAndNothingIsSent(String taskId) throws Exception {
    client = builder().build();

    assertThatThrownBy(() -> client.getTaskResult(taskId)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> client.getTaskResultAsync(taskId)).isInstanceOf(IllegalArgumentException.class);
    assertThat(server.takeRequest(100, MILLISECONDS)).isNull();
  }

  @Test
  void overlongTaskIdIsRejectedAndNothingIsSent() throws Exception {
    client = builder().build();

    assertThatThrownBy(() -> client.getTaskResult("t".repeat(1025)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1024");
    assertThat(server.takeRequest(100, MILLISECONDS)).isNull();
  }

  @Test
  void taskIdOfExactlyTheLimitIsSent() throws Exception {
    server.enqueue(taskStatus(0));
    client = builder().build();

    client.getTaskResult("t".repeat(1024));

    assertThat(server.takeRequest().getUrl().queryParameter("task_id")).hasSize(1024);
  }

  // ---- base URLs ----

  @ParameterizedTest
  @ValueSource(strings = {"http://example.com", "http://www.ailabapi.com", "http://10.0.0.1:8080",
      "http://127.0.0.1.example.com", "http://localhost.example.com", "http://[::2]:80"})
  void plainHttpToANonLoopbackHostIsRefused(String url) {
    assertThatThrownBy(() -> AILabClient.builder().baseUrl(url))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("https");
  }

  @ParameterizedTest
  @ValueSource(strings = {"ftp://example.com", "not a url", "https://user:pass@example.com",
      "https://example.com/?a=b", "https://example.com/#frag"})
  void malformedBaseUrlIsRefused(String url) {
    assertThatThrownBy(() -> AILabClient.builder().baseUrl(url)).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://127.0.0.1:8080", "http://localhost", "http://localhost:9000/sim/",
      "http://[::1]:8080", "http://127.1.2.3", "https://example.com", "https://www.ailabapi.com/"})
  void httpsOrLoopbackBaseUrlIsAccepted(String url) {
    assertThatCode(() -> AILabClient.builder().baseUrl(url)).doesNotThrowAnyException();
  }

  @Test
  void mockServerLoopbackUrlIsAccepted() {
    client = builder().baseUrl("http://127.0.0.1:" + server.getPort()).build();

    assertThat(client.baseUrl().toString()).isEqualTo("http://127.0.0.1:" + server.getPort() + "/");
  }

  // ---- the key is never printed ----

  @Test
  void toStringOfClientAndBuilderHidesTheKey() {
    AILabClient.Builder builder = builder();
    client = builder.build();

    assertThat(builder.toString()).doesNotContain(KEY).contains("[redacted]");
    assertThat(client.toString()).doesNotContain(KEY).contains("[redacted]");
    assertThat(AILabClient.builder().toString()).contains("unset");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"request_id\":\"r1\",\"error_detail\":{\"code\":\"ERROR_USER_NOT_EXISTS\",\"message\":\"bad key %s\"}}",
      "{\"request_id\":\"r1\",\"error_detail\":{\"code\":\"X\",\"code_message\":\"key %s unknown\",\"message\":\"\"}}",
      "{\"request_id\":\"r1\",\"error_detail\":{\"code\":\"KEY_%s\",\"message\":\"m\"}}",
      "{\"request_id\":\"%s\",\"log_id\":\"%s\",\"error_detail\":{\"code\":\"X\",\"message\":\"m\"}}",
      "{\"error_code\":401,\"error_code_str\":\"ERROR_USER_NOT_EXISTS\",\"error_msg\":\"no user for %s\"}",
      "<html><body>Unauthorized: %s</body></html>",
      "{\"error_detail\":{\"message\":\"truncated %s",
      "[\"%s\"]"})
  void exceptionsNeverContainTheKeyEvenWhenTheServerEchoesIt(String template) {
    server.enqueue(json(401, template.replace("%s", KEY)));
    client = builder().build();

    Throwable e = catchThrowable(() -> client.getTaskResult(TASK_ID));

    assertThat(e).isInstanceOf(AILabApiException.class);
    AILabApiException api = (AILabApiException) e;
    assertThat(everythingPrinted(e)).doesNotContain(KEY);
    assertThat(api.errorDetail().toString()).doesNotContain(KEY);
    assertThat(api.requestId()).doesNotContain(KEY);
    assertThat(api.logId()).doesNotContain(KEY);
  }

  @Test
  void ioFailureNeverContainsTheKey() {
    server.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.ShutdownConnection.INSTANCE).build());
    client = builder().maxRetries(0).build();

    Throwable e = catchThrowable(() -> client.getTaskResult(TASK_ID));

    assertThat(e).isInstanceOf(AILabIOException.class);
    assertThat(everythingPrinted(e)).doesNotContain(KEY);
  }

  // ---- logs ----

  @Test
  void logCaptureWouldCatchALeakedKey() {
    // Guards the log tests below against passing vacuously.
    try (LogCapture logs = LogCapture.capture(HTTP_LOGGER)) {
      LoggerFactory.getLogger(HTTP_LOGGER).debug("leak {}", KEY);
      LoggerFactory.getLogger(HTTP_LOGGER).trace("trace leak {}", KEY);

      assertThat(logs.text()).contains("DEBUG").contains("TRACE").contains(KEY);
    }
  }

  @Test
  void debugAndTraceLinesDescribeEachExchangeButNeverTheKey() {
    server.enqueue(json(503, "{\"request_id\":\"req-busy\",\"error_detail\":{\"code\":\"AI_SERVICE_FLOW_RESTRICTION\","
        + "\"message\":\"busy, key " + KEY + "\"}}"));
    server.enqueue(json("{\"request_id\":\"req-ok\",\"task_status\":2,\"data\":{\"echo\":\"" + KEY + "\"}}"));
    client = builder().build();

    String text;
    try (LogCapture logs = LogCapture.capture(HTTP_LOGGER)) {
      client.getTaskResult(TASK_ID);
      text = logs.text();
    }

    assertThat(text).doesNotContain(KEY);
    assertThat(text).containsPattern(
        "DEBUG .*GET /api/common/query-async-task-result -> 503 .*attempt 1.*request_id=req-busy");
    assertThat(text).containsPattern("DEBUG .*GET /api/common/query-async-task-result will be retried in \\d+ ms");
    assertThat(text).containsPattern(
        "DEBUG .*GET /api/common/query-async-task-result -> 200 .*attempt 2.*request_id=req-ok");
    assertThat(text).containsPattern("TRACE .*GET /api/common/query-async-task-result body: .*req-busy.*\\[redacted\\]");
    assertThat(text).containsPattern("TRACE .*GET /api/common/query-async-task-result body: .*req-ok");
  }

  @Test
  void failureLinesNeverContainTheKey() {
    server.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.ShutdownConnection.INSTANCE).build());
    server.enqueue(taskStatus(2));
    client = builder().build();

    String text;
    try (LogCapture logs = LogCapture.capture(HTTP_LOGGER)) {
      client.getTaskResult(TASK_ID);
      text = logs.text();
    }

    assertThat(text).doesNotContain(KEY)
        .containsPattern("DEBUG .*GET /api/common/query-async-task-result failed in \\d+ ms \\(attempt 1\\)");
  }

  // ---- the key goes to the base URL's origin only ----

  @Test
  void keyIsNotSentWhenAnApplicationInterceptorSendsTheCallElsewhere() throws Exception {
    HttpUrl elsewhere = otherHost.url("/");
    suppliedHttp = new OkHttpClient.Builder()
        .addInterceptor(chain -> chain.proceed(chain.request().newBuilder()
            .url(chain.request().url().newBuilder().port(elsewhere.port()).build()).build()))
        .build();
    otherHost.enqueue(taskStatus(0));
    client = builder().okHttpClient(suppliedHttp).build();

    client.getTaskResult(TASK_ID);

    RecordedRequest request = otherHost.takeRequest();
    assertThat(request.getUrl().queryParameter("task_id")).isEqualTo(TASK_ID);
    assertThat(request.getHeaders().get(ApiKeyInterceptor.HEADER)).isNull();
    assertThat(server.takeRequest(100, MILLISECONDS)).isNull();
  }
}
