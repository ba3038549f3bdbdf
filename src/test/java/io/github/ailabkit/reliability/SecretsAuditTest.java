package io.github.ailabkit.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.ailabkit.AILabApiException;
import io.github.ailabkit.AILabClient;
import io.github.ailabkit.AILabException;
import io.github.ailabkit.AILabIOException;
import io.github.ailabkit.ApiResponse;
import io.github.ailabkit.AsyncTask;
import io.github.ailabkit.AuthenticationException;
import io.github.ailabkit.ClientSeams;
import io.github.ailabkit.Credits;
import io.github.ailabkit.Endpoints;
import io.github.ailabkit.Form;
import io.github.ailabkit.ImageFormat;
import io.github.ailabkit.RateLimitException;
import io.github.ailabkit.ResultFiles;
import io.github.ailabkit.TaskFailedException;
import io.github.ailabkit.TaskOutcome;
import io.github.ailabkit.TaskPoller;
import io.github.ailabkit.TaskResult;
import io.github.ailabkit.TaskTimeoutException;
import io.github.ailabkit.simulator.AILabSimulator;
import io.github.ailabkit.testing.Images;
import io.github.ailabkit.testing.LogCapture;
import io.github.ailabkit.testing.PollScript;
import io.github.ailabkit.testing.RecordedResponses;
import io.github.ailabkit.testing.RecordedSleeper;
import io.github.ailabkit.testing.TestServers;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import mockwebserver3.junit5.StartStop;
import okhttp3.OkHttpClient;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Where the API key could escape, beyond what {@code SecretsTest} covers: through the SDK's own calls
 * rather than its parts; redirects to every kind of other origin, for every kind of call, even with an
 * application client that follows redirects; result-file downloads, even from the API's own origin; every
 * log line at TRACE of a whole session with a server that echoes the key; the {@code toString()} and the
 * printed stack trace (causes included) of every public object a session produces.
 *
 * <p>Decided and documented here: a result file is downloaded <b>without</b> the key whatever its host, the
 * API's own origin included. The download client has no key interceptor at all; result URLs are
 * self-contained (signed) links, and the simulator, which serves them from the API origin, counts any request
 * that carries a key ({@code Stats#filesRequestedWithKey}).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SecretsAuditTest {
  private static final String KEY = "sk-AUDIT-7f3a9c21e4b84d0f";
  private static final String WRONG_KEY = "sk-WRONG-0c1d2e3f4a5b6c7d";
  private static final String HEADER = "ailabapi-api-key";
  private static final String TASK_ID = "1714743372764.fb8fd68b-7f0e-1485-d003-32ee0f854a92";

  @StartStop final MockWebServer api = PollScript.newServer();
  @StartStop final MockWebServer other = PollScript.newServer();
  @TempDir Path dir;

  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  private <T extends AutoCloseable> T closeLater(T closeable) {
    toClose.add(closeable);
    return closeable;
  }

  // ---- redirects ----

  /** Where a redirect points, relative to the base URL {@code http://localhost:<api port>/}. */
  enum Target {
    /** Same socket, other host name: a different origin that would reach the API server itself. */
    OTHER_HOST_SAME_PORT,
    SAME_HOST_OTHER_PORT,
    OTHER_HOST_OTHER_PORT
  }

  /** Calls that reach the API. */
  enum Call {
    QUERY, SUBMIT, CREDITS, WAIT
  }

  static Stream<Arguments> redirects() {
    List<Arguments> cases = new ArrayList<>();
    for (int status : new int[] {302, 307, 308}) {
      for (Target target : Target.values()) {
        for (Call call : Call.values()) {
          cases.add(Arguments.of(status, target, call));
        }
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} to {1} answering a {2}")
  @MethodSource("redirects")
  void aRedirectIsNeverFollowed_evenWhenTheApplicationsClientWouldFollowIt(int status, Target target, Call call)
      throws Exception {
    api.enqueue(new MockResponse.Builder().code(status).setHeader("Location", location(target)).build());
    OkHttpClient following = closeLater(new OwnedHttp(new OkHttpClient.Builder().followRedirects(true)
        .followSslRedirects(true).build())).http;
    AILabClient client = closeLater(AILabClient.builder().apiKey(KEY).baseUrl(localhostBase())
        .okHttpClient(following).build());

    Throwable thrown = catchThrowable(() -> perform(client, call));

    assertThat(thrown).isInstanceOf(AILabApiException.class);
    assertThat(((AILabApiException) thrown).httpStatus()).isEqualTo(status);
    // A followed redirect would have been sent before the call returned: no need to wait for one.
    assertThat(api.getRequestCount()).as("requests to the API, under its name or another").isEqualTo(1);
    assertThat(other.getRequestCount()).as("requests to the other port").isZero();
    assertThat(api.takeRequest().getHeaders().get(HEADER)).as("the API itself gets the key").isEqualTo(KEY);
  }

  @Test
  void aRedirectFollowedByAnApplicationInterceptor_carriesTheKeyOnlyToTheApiOrigin() throws Exception {
    for (Target target : Target.values()) {
      api.enqueue(new MockResponse.Builder().code(302).setHeader("Location", location(target)).build());
      (target == Target.OTHER_HOST_SAME_PORT ? api : other).enqueue(PollScript.status("t", 2));
    }
    OkHttpClient followingItself = closeLater(new OwnedHttp(new OkHttpClient.Builder()
        .addInterceptor(chain -> {
          Response response = chain.proceed(chain.request());
          String location = response.header("Location");
          if (!response.isRedirect() || location == null) {
            return response;
          }
          response.close();
          return chain.proceed(chain.request().newBuilder().url(location).build());
        }).build())).http;
    AILabClient client = closeLater(AILabClient.builder().apiKey(KEY).baseUrl(localhostBase())
        .okHttpClient(followingItself).build());

    for (Target target : Target.values()) {
      assertThat(client.getTaskResult(TASK_ID).isCompleted()).isTrue();
    }

    List<RecordedRequest> atApi = drain(api);
    List<RecordedRequest> atOther = drain(other);
    assertThat(atApi).hasSize(4);
    assertThat(atApi).filteredOn(r -> r.getUrl().host().equals("localhost"))
        .hasSize(3).allSatisfy(r -> assertThat(r.getHeaders().get(HEADER)).isEqualTo(KEY));
    assertThat(atApi).filteredOn(r -> r.getUrl().encodedPath().equals("/steal"))
        .singleElement().satisfies(r -> assertThat(r.getHeaders().toString()).doesNotContain(KEY));
    assertThat(atOther).hasSize(2).allSatisfy(r -> assertThat(r.getHeaders().toString()).doesNotContain(KEY));
  }

  // ---- downloads ----

  @Test
  void aResultFileOnTheApisOwnOriginIsDownloadedWithoutTheKey() {
    AILabSimulator sim = closeLater(AILabSimulator.builder().apiKey(KEY).queuedFor(Duration.ZERO)
        .processingFor(Duration.ZERO).start());
    AILabClient client = closeLater(AILabClient.builder().apiKey(KEY).baseUrl(sim.baseUrl()).build());
    AsyncTask task = client.submit(Endpoints.AI_BALD, Form.create().file("image", image()));
    TaskResult done = task.await(TaskPoller.builder(client).interval(Duration.ofMillis(10)).build());

    ResultFiles.download(client, ResultFiles.urls(done).get(0), dir.resolve("out.png"));

    assertThat(ResultFiles.urls(done).get(0).toString()).startsWith(sim.baseUrl());
    assertThat(sim.stats().filesServed()).isEqualTo(1);
    assertThat(sim.stats().filesRequestedWithKey()).isZero();
  }

  @Test
  void aFileHostRedirectingToTheApiOrigin_stillGetsNoKeyThere() throws Exception {
    other.enqueue(new MockResponse.Builder().code(302).setHeader("Location", api.url("/files/out.png")).build());
    api.enqueue(new MockResponse.Builder().code(200).body("png bytes").build());
    AILabClient client = closeLater(AILabClient.builder().apiKey(KEY).baseUrl(api.url("/").toString()).build());

    ResultFiles.download(client, other.url("/signed/out.png?sig=abc").uri(), dir.resolve("out.png"));

    assertThat(other.takeRequest().getHeaders().names()).doesNotContain(HEADER);
    assertThat(api.takeRequest().getHeaders().names()).doesNotContain(HEADER);
  }

  // ---- logs ----

  @Test
  void noLogLineOfAWholeSessionAtTraceCarriesTheKey_evenWhenTheServerEchoesIt() throws Exception {
    String echo = "your key is " + KEY;
    api.enqueue(RecordedResponses.json(503, RecordedResponses.errorBody("AI_SERVICE_FLOW_RESTRICTION", echo)));
    api.enqueue(RecordedResponses.json("{\"request_id\":\"" + KEY + "\",\"task_status\":2,\"data\":{\"image\":"
        + "\"https://files.example/" + KEY + ".png\",\"echo\":\"" + echo + "\"}}"));
    api.enqueue(new MockResponse.Builder().code(502).setHeader("Content-Type", "text/html")
        .body("<html><body>Bad gateway for " + KEY + "</body></html>").build());
    api.enqueue(RecordedResponses.json(200, "{\"request_id\":\"x\",\"task_status\":2,\"data\":{\"ima" + KEY));
    api.enqueue(RecordedResponses.json(401, RecordedResponses.errorBody("ERROR_USER_NOT_EXISTS", echo)));
    api.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.ShutdownConnection.INSTANCE).build());
    api.enqueue(PollScript.status("t", 1));
    // a wait: unknown status, a transient error, then the task fails
    api.enqueue(RecordedResponses.json("{\"request_id\":\"" + KEY + "\",\"task_status\":9}"));
    api.enqueue(RecordedResponses.json(503, RecordedResponses.errorBody("AI_SERVICE_FLOW_RESTRICTION", echo)));
    api.enqueue(RecordedResponses.json(422, RecordedResponses.errorBody("ERROR_NO_FACE_IN_FILE", echo)));
    api.enqueue(RecordedResponses.json("{\"request_id\":\"" + KEY + "\",\"data\":[{\"name\":\"" + echo + "\"}]}"));
    api.enqueue(RecordedResponses.json("{\"task_id\":\"" + KEY + "\",\"request_id\":\"" + echo + "\"}"));
    AILabClient client = closeLater(ClientSeams.recorded(AILabClient.builder().apiKey(KEY)
        .baseUrl(api.url("/").toString()).maxRetries(1), new RecordedSleeper()).build());
    TaskPoller poller = TaskPoller.builder(client).interval(Duration.ofMillis(5)).initialDelay(Duration.ZERO)
        .timeout(Duration.ofSeconds(5)).build();

    List<Object> outcomes = new ArrayList<>();
    String text;
    try (LogCapture pollerLog = LogCapture.capture("io.github.ailabkit.poller");
        LogCapture logs = LogCapture.capture("io.github.ailabkit.http")) {
      outcomes.add(attempt(() -> client.getTaskResult(TASK_ID)));    // 503 echo, retried, then 200 echo
      outcomes.add(attempt(() -> client.getTaskResult(TASK_ID)));    // 502 HTML, retried, then truncated JSON
      outcomes.add(attempt(() -> client.getTaskResult(TASK_ID)));    // 401 echo
      outcomes.add(attempt(() -> client.getTaskResult(TASK_ID)));    // dropped, retried, then processing
      outcomes.add(attempt(() -> poller.awaitCompletion(TASK_ID)));  // 503, then 422
      outcomes.add(attempt(client::credits));
      outcomes.add(attempt(() -> client.submit(Endpoints.AI_BALD, Form.create().file("image", image()))));
      text = logs.text();
      assertThat(pollerLog.text()).isEmpty(); // everything went to the inner capture
    }

    assertThat(text).as("the capture saw the session").contains("TRACE").contains("body:").contains("DEBUG")
        .contains("[redacted]");
    assertThat(text).doesNotContain(KEY);
    // Errors never show the key. Successful answers are data and are kept as the server sent them: a result
    // whose data echoes the key shows it (TaskResult/ApiResponse/AsyncTask print what the server said).
    assertThat(outcomes).hasSize(7).filteredOn(Throwable.class::isInstance).hasSize(3)
        .allSatisfy(outcome -> assertThat(describe(outcome)).doesNotContain(KEY));
  }

  /**
   * A key with a '/' that a server echoes JSON-escaped (PHP's {@code json_encode} writes {@code \/}): the
   * escaped form is the key to anyone reading the log or the message.
   */
  @Test
  void aKeyEchoedJsonEscapedIsRedactedToo() throws Exception {
    String key = "sk/AUDIT/7f3a9c21e4b84d0f";
    String escaped = key.replace("/", "\\/");
    api.enqueue(RecordedResponses.json(401, "{\"request_id\":\"r\",\"error_detail\":{"
        + "\"code\":\"ERROR_USER_NOT_EXISTS\","
        + "\"message\":\"no user for " + escaped + "\"}}"));
    api.enqueue(new MockResponse.Builder().code(502).setHeader("Content-Type", "text/html")
        .body("<html>{\"key\":\"" + escaped + "\"}</html>").build());
    AILabClient client = closeLater(AILabClient.builder().apiKey(key).baseUrl(api.url("/").toString())
        .maxRetries(0).build());

    String text;
    Object unauthorized;
    Object badGateway;
    try (LogCapture logs = LogCapture.capture("io.github.ailabkit.http")) {
      unauthorized = attempt(() -> client.getTaskResult(TASK_ID));
      badGateway = attempt(() -> client.getTaskResult(TASK_ID));
      text = logs.text();
    }

    assertThat(describe(unauthorized)).doesNotContain(key).doesNotContain(escaped);
    assertThat(describe(badGateway)).doesNotContain(key).doesNotContain(escaped);
    assertThat(text).doesNotContain(key).doesNotContain(escaped);
  }

  // ---- toString() and printed stack traces ----

  @Test
  void noToStringOrPrintedStackTraceOfAnyPublicObjectContainsTheKey() throws Exception {
    AILabSimulator sim = closeLater(AILabSimulator.builder().apiKey(KEY).queuedFor(Duration.ZERO)
        .processingFor(Duration.ZERO).start());
    AILabClient.Builder builder = AILabClient.builder().apiKey(KEY).baseUrl(sim.baseUrl()).maxRetries(0);
    AILabClient client = closeLater(builder.build());
    TaskPoller.Builder pollerBuilder = TaskPoller.builder(client).interval(Duration.ofMillis(10));
    TaskPoller poller = pollerBuilder.build();
    Form form = Form.create().file("image", image());
    Map<String, Object> seen = new LinkedHashMap<>();
    seen.put("builder", builder);
    seen.put("client", client);
    seen.put("default poller", client.taskPoller());
    seen.put("poller builder", pollerBuilder);
    seen.put("poller", poller);
    seen.put("form", form);
    seen.put("endpoint", Endpoints.AI_BALD);
    AsyncTask task = client.submit(Endpoints.AI_BALD, form);
    seen.put("async task", task);
    TaskResult result = task.await(poller);
    seen.put("task result", result);
    seen.put("task status", result.taskStatus());
    seen.put("error detail", result.errorDetail());
    ApiResponse response = client.call(Endpoints.PORTRAIT_ANIMATION, Form.create().file("image", image()));
    seen.put("api response", response);
    Credits credits = client.credits();
    seen.put("credits", credits);
    seen.put("credit pool", credits.pools().get(0));

    sim.faults().failNextTasks(1, 422, "ERROR_NO_FACE_IN_FILE");
    AsyncTask failing = client.submit(Endpoints.AI_BALD, form);
    Map<String, TaskOutcome> outcomes = poller.awaitAll(List.of(task.taskId(), failing.taskId()));
    seen.put("outcome (success)", outcomes.get(task.taskId()));
    seen.put("outcome (failure)", outcomes.get(failing.taskId()));
    seen.put("TaskFailedException", outcomes.get(failing.taskId()).error());
    sim.faults().rateLimitNext(1);
    seen.put("RateLimitException", expect(RateLimitException.class, client::credits));
    AILabClient wrong = closeLater(AILabClient.builder().apiKey(WRONG_KEY).baseUrl(sim.baseUrl()).build());
    seen.put("AuthenticationException", expect(AuthenticationException.class, wrong::credits));
    seen.put("TaskTimeoutException", expect(TaskTimeoutException.class, () -> TaskPoller.builder(client)
        .interval(Duration.ofSeconds(1)).timeout(Duration.ofMillis(30)).build().awaitCompletion(task.taskId())));
    seen.put("IllegalArgumentException (form)", expect(IllegalArgumentException.class,
        () -> client.submit(Endpoints.AI_BALD, Form.create().field("image", KEY))));
    seen.put("IllegalArgumentException (key)", expect(IllegalArgumentException.class,
        () -> AILabClient.builder().apiKey(KEY + "\r\nX: y")));
    seen.put("simulator", sim);
    seen.put("faults", sim.faults());
    seen.put("stats", sim.stats());
    seen.put("stats snapshot", sim.stats().snapshot());

    AILabClient closing = closeLater(AILabClient.builder().apiKey(KEY).baseUrl(sim.baseUrl()).build());
    CompletableFuture<TaskResult> pending = closing.taskPoller().awaitCompletionAsync(task.taskId());
    closing.close();
    seen.put("AILabException (closed)", cause(pending));
    seen.put("IllegalStateException (closed)", expect(IllegalStateException.class, closing::credits));
    AILabClient unreachable = closeLater(AILabClient.builder().apiKey(KEY).maxRetries(0)
        .baseUrl("http://127.0.0.1:" + closedPort()).build());
    seen.put("AILabIOException", expect(AILabIOException.class, unreachable::credits));

    assertThat(seen).hasSize(29).allSatisfy((name, object) -> {
      assertThat(object).as(name).isNotNull();
      assertThat(describe(object)).as(name).doesNotContain(KEY).doesNotContain(WRONG_KEY);
    });
  }

  // ---- header injection ----

  @ParameterizedTest
  @ValueSource(strings = {"\r\nX-Injected: 1", "\nX-Injected: 1", "\rX-Injected: 1", "\r\n\r\nGET / HTTP/1.1"})
  void aKeyWithCrOrLfInsideIsRefusedEverywhereBeforeAnyIo(String injection) {
    String key = "sk-inject" + injection + "tail";

    assertThat(catchThrowable(() -> AILabClient.builder().apiKey(key))).isInstanceOf(IllegalArgumentException.class);
    assertThat(catchThrowable(() -> ClientSeams.fromEnv(AILabClient.builder(), Map.of("AILAB_API_KEY", key))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(catchThrowable(() -> AILabSimulator.builder().apiKey(key))).isInstanceOf(IllegalArgumentException.class);
    assertThat(api.getRequestCount()).isZero();
  }

  @Test
  void aKeyFromTheEnvironmentWithATrailingNewlineIsSentTrimmedAndInjectsNothing() throws Exception {
    api.enqueue(PollScript.status("t", 2));
    AILabClient client = closeLater(ClientSeams.fromEnv(AILabClient.builder(),
        Map.of("AILAB_API_KEY", KEY + "\r\n", "AILAB_BASE_URL", api.url("/").toString())).build());

    client.getTaskResult(TASK_ID);

    RecordedRequest request = api.takeRequest();
    assertThat(request.getHeaders().values(HEADER)).containsExactly(KEY);
    assertThat(request.getHeaders().names()).extracting(String::toLowerCase).containsExactlyInAnyOrder(HEADER, "host",
        "user-agent", "accept", "accept-encoding", "connection");
  }

  // ---- plumbing ----

  private void perform(AILabClient client, Call call) {
    switch (call) {
      case QUERY:
        client.getTaskResult(TASK_ID);
        break;
      case SUBMIT:
        client.submit(Endpoints.AI_BALD, Form.create().file("image", image()));
        break;
      case CREDITS:
        client.credits();
        break;
      default:
        TaskPoller.builder(client).interval(Duration.ofMillis(5)).initialDelay(Duration.ZERO)
            .timeout(Duration.ofSeconds(5)).build().awaitCompletion(TASK_ID);
    }
  }

  private String localhostBase() {
    return "http://localhost:" + api.getPort() + "/";
  }

  private String location(Target target) {
    switch (target) {
      case OTHER_HOST_SAME_PORT:
        return "http://127.0.0.1:" + api.getPort() + "/steal";
      case SAME_HOST_OTHER_PORT:
        return "http://localhost:" + other.getPort() + "/steal";
      default:
        return "http://127.0.0.1:" + other.getPort() + "/steal";
    }
  }

  private Path image() {
    try {
      Path file = dir.resolve("face.png");
      return Files.exists(file) ? file : Images.write(dir, "face.png", ImageFormat.PNG, 2048);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static List<RecordedRequest> drain(MockWebServer server) throws InterruptedException {
    List<RecordedRequest> requests = new ArrayList<>();
    for (RecordedRequest r; (r = server.takeRequest(100, TimeUnit.MILLISECONDS)) != null; ) {
      requests.add(r);
    }
    return requests;
  }

  private static Object attempt(java.util.concurrent.Callable<?> call) {
    try {
      return call.call();
    } catch (Exception e) {
      return e;
    }
  }

  private static Throwable expect(Class<? extends Throwable> type, org.assertj.core.api.ThrowableAssert.ThrowingCallable
      call) {
    Throwable thrown = catchThrowable(call);
    assertThat(thrown).isInstanceOf(type);
    return thrown;
  }

  private static Throwable cause(CompletableFuture<?> future) {
    Throwable thrown = catchThrowable(() -> future.get(5, TimeUnit.SECONDS));
    assertThat(thrown).isInstanceOf(java.util.concurrent.ExecutionException.class);
    assertThat(thrown.getCause()).isInstanceOf(AILabException.class);
    return thrown.getCause();
  }

  private static int closedPort() throws IOException {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      return socket.getLocalPort();
    }
  }

  /** Everything an object shows: its {@code toString()}, and for a throwable its printed stack trace. */
  static String describe(Object object) {
    if (object instanceof Throwable) {
      StringWriter out = new StringWriter();
      ((Throwable) object).printStackTrace(new PrintWriter(out));
      return object + "\n" + ((Throwable) object).getLocalizedMessage() + "\n" + out;
    }
    return String.valueOf(object);
  }

  /** An OkHttpClient the test owns, released after the test. */
  private static final class OwnedHttp implements AutoCloseable {
    final OkHttpClient http;

    OwnedHttp(OkHttpClient http) {
      this.http = http;
    }

    @Override
    public void close() {
      TestServers.shutDown(http);
    }
  }
}
