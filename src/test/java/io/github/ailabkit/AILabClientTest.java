package io.github.ailabkit;

import static io.github.ailabkit.testing.RecordedResponses.error;
import static io.github.ailabkit.testing.RecordedResponses.json;
import static io.github.ailabkit.testing.RecordedResponses.taskStatus;
import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.ailabkit.testing.PollScript;
import io.github.ailabkit.testing.PollThreads;
import io.github.ailabkit.testing.RecordedSleeper;
import io.github.ailabkit.testing.TestServers;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.function.BooleanSupplier;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import mockwebserver3.junit5.StartStop;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The core client's contract: what it sends for a task query, its async variant, configuration and lifecycle. */
class AILabClientTest {
  private static final String KEY = "test-key-0123456789";
  private static final String TASK_ID = "1714743372764.fb8fd68b-7f0e-1485-d003-32ee0f854a92";
  private static final String QUERY_PATH = "/api/common/query-async-task-result";

  @StartStop final MockWebServer server = new MockWebServer();

  private final RecordedSleeper sleeper = new RecordedSleeper();
  private OkHttpClient suppliedHttp;
  private AILabClient client;

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

  // ---- deadlines of asynchronous calls ----

  @Test
  void anAsyncCallWaitingForADispatcherThread_stillEndsByItsCallTimeout() throws Exception {
    PollScript held = new PollScript().statuses("busy", 1).statuses("queued", 1).holdTask("busy");
    server.setDispatcher(held);
    suppliedHttp = TestServers.oneThreadHttp();
    try (AILabClient other = builder().okHttpClient(suppliedHttp).build()) {
      client = builder().okHttpClient(suppliedHttp).callTimeout(Duration.ofMillis(300)).build();
      other.getTaskResultAsync("busy"); // holds the only thread
      assertThat(PollThreads.eventually(5000, () -> held.concurrent() == 1)).isTrue();

      CompletableFuture<TaskResult> queued = client.getTaskResultAsync("queued");

      assertThatThrownBy(() -> queued.get(5, SECONDS))
          .as("failed by its own deadline, not when the thread came free")
          .isInstanceOf(ExecutionException.class)
          .cause().isInstanceOf(AILabIOException.class).hasMessageContaining("timeout");
      assertThat(held.requests("queued")).isZero();
    } finally {
      held.release();
    }
  }

  // ---- what getTaskResult sends ----

  @Test
  void getTaskResultSendsOneGetWithKeyUserAgentAndTaskId() throws Exception {
    server.enqueue(taskStatus(1));
    client = builder().build();

    TaskResult result = client.getTaskResult(TASK_ID);

    assertThat(result.taskStatus()).isEqualTo(TaskStatus.PROCESSING);
    RecordedRequest request = server.takeRequest();
    assertThat(request.getMethod()).isEqualTo("GET");
    assertThat(request.getRequestLine()).isEqualTo("GET " + QUERY_PATH + "?task_id=" + TASK_ID + " HTTP/1.1");
    assertThat(request.getHeaders().get("ailabapi-api-key")).isEqualTo(KEY);
    assertThat(request.getHeaders().values("ailabapi-api-key")).hasSize(1);
    assertThat(request.getHeaders().get("User-Agent")).matches("ailab-sdk-java/\\d+\\.\\d+\\.\\d+.*");
    assertThat(request.getHeaders().get("Accept")).isEqualTo("application/json");
    assertThat(request.getBodySize()).isZero();
    assertThat(server.takeRequest(100, MILLISECONDS)).isNull();
    assertThat(sleeper.sleeps()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "a&b", "a=b", "a#b", "100%", "%41", "a/b", "../../etc", "a+b", "a b", " leading", "?x", "a;b",
      "a&task_id=evil", "задача-ü-任务-😀", "a\"b'c<d>"})
  void taskIdArrivesAsExactlyOneTaskIdParameterEqualToTheInput(String taskId) throws Exception {
    server.enqueue(taskStatus(0));
    client = builder().build();

    client.getTaskResult(taskId);

    RecordedRequest request = server.takeRequest();
    assertThat(request.getUrl().encodedPath()).isEqualTo(QUERY_PATH);
    assertThat(request.getUrl().querySize()).isEqualTo(1);
    assertThat(request.getUrl().queryParameterValues("task_id")).containsExactly(taskId);
    assertThat(server.takeRequest(100, MILLISECONDS)).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"/proxy/", "/proxy"})
  void baseUrlPathPrefixIsKept(String prefix) throws Exception {
    server.enqueue(taskStatus(2));
    client = builder().baseUrl(server.url(prefix).toString()).build();

    client.getTaskResult(TASK_ID);

    RecordedRequest request = server.takeRequest();
    assertThat(request.getTarget()).isEqualTo("/proxy" + QUERY_PATH + "?task_id=" + TASK_ID);
    assertThat(request.getHeaders().get("ailabapi-api-key")).isEqualTo(KEY);
    assertThat(client.baseUrl().getRawPath()).isEqualTo("/proxy/");
  }

  // ---- getTaskResultAsync ----

  @Test
  void getTaskResultAsyncCompletesWithTheResult() throws Exception {
    server.enqueue(json("{\"request_id\":\"r\",\"task_status\":2,\"data\":{\"image\":\"https://cdn/x.png\"}}"));
    client = builder().build();

    TaskResult result = client.getTaskResultAsync(TASK_ID).get(5, SECONDS);

    assertThat(result.isCompleted()).isTrue();
    assertThat(result.data().path("image").asText()).isEqualTo("https://cdn/x.png");
    RecordedRequest request = server.takeRequest();
    assertThat(request.getTarget()).isEqualTo(QUERY_PATH + "?task_id=" + TASK_ID);
    assertThat(request.getHeaders().get("ailabapi-api-key")).isEqualTo(KEY);
    assertThat(server.takeRequest(100, MILLISECONDS)).isNull();
  }

  @Test
  void getTaskResultAsyncFailsWithTheApiException() {
    server.enqueue(error(422, "ERROR_NO_FACE_IN_FILE"));
    client = builder().build();

    CompletableFuture<TaskResult> future = client.getTaskResultAsync(TASK_ID);

    assertThatThrownBy(() -> future.get(5, SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(AILabApiException.class)
        .hasMessageContaining("ERROR_NO_FACE_IN_FILE");
  }

  @Test
  void getTaskResultAsyncRejectsBadInputAtOnce() {
    client = builder().build();

    assertThatThrownBy(() -> client.getTaskResultAsync(" ")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> client.getTaskResultAsync(null)).isInstanceOf(NullPointerException.class);
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void cancellingTheAsyncFutureCancelsTheCall() throws Exception {
    server.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build());
    suppliedHttp = new OkHttpClient();
    client = builder().okHttpClient(suppliedHttp).build();

    CompletableFuture<TaskResult> future = client.getTaskResultAsync(TASK_ID);
    assertThat(server.takeRequest(5, SECONDS)).isNotNull();
    await(() -> suppliedHttp.dispatcher().runningCallsCount() == 1);
    Call call = suppliedHttp.dispatcher().runningCalls().get(0);
    assertThat(call.isCanceled()).isFalse();

    assertThat(future.cancel(true)).isTrue();

    assertThat(call.isCanceled()).isTrue();
    assertThatThrownBy(future::join).isInstanceOf(CancellationException.class);
    await(() -> suppliedHttp.dispatcher().runningCallsCount() == 0);
    assertThat(server.takeRequest(100, MILLISECONDS)).isNull();
    assertThat(sleeper.sleeps()).isEmpty();
  }

  // ---- configuration ----

  @Test
  void fromEnvWithoutKeyFails() {
    assertThatThrownBy(() -> AILabClient.builder().fromEnv(Map.of()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("AILAB_API_KEY");
    assertThatThrownBy(() -> AILabClient.builder().fromEnv(Map.of("AILAB_API_KEY", "  ")))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void fromEnvHonoursKeyAndBaseUrl() throws Exception {
    server.enqueue(taskStatus(0));
    client = AILabClient.builder()
        .fromEnv(Map.of("AILAB_API_KEY", " " + KEY + "\n", "AILAB_BASE_URL", server.url("/env/").toString()))
        .sleeper(sleeper)
        .build();

    client.getTaskResult(TASK_ID);

    RecordedRequest request = server.takeRequest();
    assertThat(request.getUrl().encodedPath()).isEqualTo("/env" + QUERY_PATH);
    assertThat(request.getHeaders().get("ailabapi-api-key")).isEqualTo(KEY);
  }

  @Test
  void fromEnvWithoutBaseUrlUsesProduction() {
    client = AILabClient.builder().fromEnv(Map.of("AILAB_API_KEY", KEY)).build();

    assertThat(client.baseUrl().toString()).isEqualTo(AILabClient.DEFAULT_BASE_URL + "/");
  }

  @Test
  void buildWithoutKeyFails() {
    assertThatThrownBy(() -> AILabClient.builder().baseUrl(server.url("/").toString()).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("apiKey");
  }

  // ---- close ----

  @Test
  void callsAfterCloseThrowIllegalStateAndSendNothing() throws Exception {
    client = builder().build();
    client.close();

    assertThat(client.isClosed()).isTrue();
    assertThatThrownBy(() -> client.getTaskResult(TASK_ID)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> client.getTaskResultAsync(TASK_ID)).isInstanceOf(IllegalStateException.class);
    assertThat(server.takeRequest(100, MILLISECONDS)).isNull();
  }

  @Test
  void closeTwiceIsHarmless() {
    client = builder().build();
    client.close();
    client.close();

    assertThat(client.isClosed()).isTrue();
  }

  @Test
  void suppliedOkHttpClientKeepsWorkingAfterClose() throws Exception {
    suppliedHttp = new OkHttpClient();
    server.enqueue(taskStatus(0));
    server.enqueue(json("{}"));
    server.enqueue(json("{}"));
    client = builder().okHttpClient(suppliedHttp).build();
    client.getTaskResultAsync(TASK_ID).get(5, SECONDS);

    client.close();

    assertThat(suppliedHttp.dispatcher().executorService().isShutdown()).isFalse();
    try (Response response = suppliedHttp.newCall(new Request.Builder().url(server.url("/after")).build()).execute()) {
      assertThat(response.code()).isEqualTo(200);
    }
    CompletableFuture<Integer> async = new CompletableFuture<>();
    suppliedHttp.newCall(new Request.Builder().url(server.url("/after-async")).build())
        .enqueue(new Callback() {
          @Override
          public void onFailure(Call call, IOException e) {
            async.completeExceptionally(e);
          }

          @Override
          public void onResponse(Call call, Response response) {
            try (response) {
              async.complete(response.code());
            }
          }
        });
    assertThat(async.get(5, SECONDS)).isEqualTo(200);
    assertThat(server.takeRequest().getUrl().encodedPath()).isEqualTo(QUERY_PATH);
    RecordedRequest plain = server.takeRequest();
    assertThat(plain.getUrl().encodedPath()).isEqualTo("/after");
    assertThat(plain.getHeaders().get("ailabapi-api-key")).isNull();
  }

  @Test
  void ownedClientLeavesNoHttpThreadsAfterClose() throws Exception {
    Thread testThread = Thread.currentThread();
    Set<Thread> workers = ConcurrentHashMap.newKeySet();
    server.enqueue(new MockResponse.Builder(taskStatus(0)).headersDelay(100, MILLISECONDS).build());
    server.enqueue(new MockResponse.Builder(taskStatus(0)).headersDelay(100, MILLISECONDS).build());
    client = builder().build();
    CompletableFuture<TaskResult> first = client.getTaskResultAsync(TASK_ID);
    CompletableFuture<TaskResult> second = client.getTaskResultAsync(TASK_ID);
    for (CompletableFuture<TaskResult> future : List.of(first, second)) {
      future.whenComplete((result, failure) -> {
        if (Thread.currentThread() != testThread) {
          workers.add(Thread.currentThread());
        }
      });
    }
    CompletableFuture.allOf(first, second).get(5, SECONDS);
    // OkHttp renames a dispatcher thread while it runs a call; once idle it carries the SDK's name again.
    await(() -> !workers.isEmpty() && workers.stream().allMatch(t -> t.getName().startsWith("ailab-http-")));

    client.close();

    await(() -> workers.stream().noneMatch(Thread::isAlive));
  }

  @Test
  void closeDuringARetryWaitEndsTheCallPromptly() throws Exception {
    server.enqueue(new MockResponse.Builder(error(503, "AI_SERVICE_FLOW_RESTRICTION"))
        .setHeader("Retry-After", "30").build());
    client = AILabClient.builder().apiKey(KEY).baseUrl(server.url("/").toString()).build();
    CompletableFuture<TaskResult> future = client.getTaskResultAsync(TASK_ID);
    await(() -> client.timer().pending() == 1); // the retry waits on the timer, holding no thread

    client.close();

    assertThatThrownBy(() -> future.get(5, SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(AILabException.class).hasMessageContaining("closed");
    assertThat(server.takeRequest(100, MILLISECONDS)).isNotNull();
    assertThat(server.takeRequest(100, MILLISECONDS)).isNull();
  }

  @Test
  void cancellingDuringARetryWaitEndsTheScheduledRetry() throws Exception {
    server.enqueue(new MockResponse.Builder(error(503, "AI_SERVICE_FLOW_RESTRICTION"))
        .setHeader("Retry-After", "30").build());
    client = AILabClient.builder().apiKey(KEY).baseUrl(server.url("/").toString()).build();
    CompletableFuture<TaskResult> future = client.getTaskResultAsync(TASK_ID);
    await(() -> client.timer().pending() == 1);

    future.cancel(true);

    await(() -> client.timer().pending() == 0);
    assertThat(server.takeRequest(100, MILLISECONDS)).isNotNull();
    assertThat(server.takeRequest(100, MILLISECONDS)).as("nothing sent after the cancel").isNull();
  }

  /** Polls {@code condition} for up to 5 s, failing if it never holds. */
  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + SECONDS.toNanos(5);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 5 s");
      }
      Thread.sleep(10);
    }
  }
}
