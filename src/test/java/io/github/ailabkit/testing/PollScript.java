package io.github.ailabkit.testing;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiPredicate;
import java.util.function.IntPredicate;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;

/**
 * A scripted query endpoint for poller tests: answers each task id with its own sequence of responses
 * (the last one repeats forever), counts requests per id and concurrent requests, and can hold
 * answers on a latch so that tests decide when polls finish.
 *
 * <p>An id without a script gets a 404 {@code UNSCRIPTED_TASK}, so a stray poll shows up as a failure.
 */
public final class PollScript extends Dispatcher {
  private final Map<String, List<MockResponse>> scripts = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
  private final List<String> order = new CopyOnWriteArrayList<>();
  private final AtomicInteger total = new AtomicInteger();
  private final AtomicInteger concurrent = new AtomicInteger();
  private final AtomicInteger maxConcurrent = new AtomicInteger();
  private volatile CountDownLatch gate;
  private volatile BiPredicate<String, Integer> holdOn = (id, n) -> true;

  /** Scripts {@code taskId}: the n-th poll gets the n-th response; the last repeats. */
  public PollScript on(String taskId, MockResponse... responses) {
    if (responses.length == 0) {
      throw new IllegalArgumentException("no responses");
    }
    scripts.put(taskId, List.of(responses));
    return this;
  }

  /** Scripts {@code taskId} with task statuses, e.g. {@code statuses(id, 0, 1, 2)}; 2 carries an image URL. */
  public PollScript statuses(String taskId, int... statuses) {
    MockResponse[] responses = new MockResponse[statuses.length];
    for (int i = 0; i < statuses.length; i++) {
      responses[i] = status(taskId, statuses[i]);
    }
    return on(taskId, responses);
  }

  /**
   * Holds the answers to polls whose number (per task id, from 1) satisfies {@code which} until
   * {@link #release()}. A held request counts as received, and as concurrent.
   */
  public PollScript hold(IntPredicate which) {
    return hold((id, n) -> which.test(n));
  }

  /** Holds the answers to the polls of {@code taskId} until {@link #release()}. */
  public PollScript holdTask(String taskId) {
    return hold((id, n) -> taskId.equals(id));
  }

  /** Holds the answers for which {@code which.test(taskId, pollNumber)} is true until {@link #release()}. */
  public PollScript hold(BiPredicate<String, Integer> which) {
    holdOn = which;
    gate = new CountDownLatch(1);
    return this;
  }

  /** Holds every answer until {@link #release()}. */
  public PollScript hold() {
    return hold(n -> true);
  }

  /** Lets held and future answers go. */
  public void release() {
    CountDownLatch g = gate;
    gate = null;
    if (g != null) {
      g.countDown();
    }
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
    String taskId = request.getUrl().queryParameter("task_id");
    int n = counts.computeIfAbsent(String.valueOf(taskId), k -> new AtomicInteger()).incrementAndGet();
    order.add(String.valueOf(taskId));
    total.incrementAndGet();
    int now = concurrent.incrementAndGet();
    maxConcurrent.accumulateAndGet(now, Math::max);
    try {
      CountDownLatch g = gate;
      if (g != null && holdOn.test(taskId, n)) {
        g.await(10, TimeUnit.SECONDS);
      }
    } finally {
      concurrent.decrementAndGet();
    }
    List<MockResponse> script = scripts.get(taskId);
    if (script == null) {
      return error(404, "UNSCRIPTED_TASK", "unscripted");
    }
    return script.get(Math.min(n, script.size()) - 1);
  }

  /** Polls received for {@code taskId}. */
  public int requests(String taskId) {
    AtomicInteger count = counts.get(taskId);
    return count == null ? 0 : count.get();
  }

  /** Polls received in all. */
  public int total() {
    return total.get();
  }

  /** Task ids in the order their polls arrived. */
  public List<String> order() {
    return List.copyOf(order);
  }

  /** Polls being answered right now (held ones included). */
  public int concurrent() {
    return concurrent.get();
  }

  /** The most polls ever answered at once. */
  public int maxConcurrent() {
    return maxConcurrent.get();
  }

  // ---- the server ----

  /**
   * A MockWebServer whose accepted sockets have {@code TCP_NODELAY} set. Without it the server's
   * separate writes of headers and body meet the client's delayed ACK and every answer takes ~40 ms,
   * which makes tests of thousands of polls needlessly slow.
   */
  public static MockWebServer newServer() {
    MockWebServer server = new MockWebServer();
    server.setServerSocketFactory(new NoDelayServerSocketFactory(0)); // the backlog MockWebServer asks for
    return server;
  }

  // ---- responses ----

  /** A successful query answer with {@code task_status}; 2 carries {@code data.image}. */
  public static MockResponse status(String taskId, int status) {
    String data = status == 2 ? ",\"data\":{\"image\":\"https://files.example/" + taskId + ".png\"}" : "";
    return json(200, "{\"request_id\":\"req-" + taskId + "-" + status + "\",\"log_id\":\"log\","
        + "\"error_detail\":{\"code\":\"\",\"code_message\":\"\",\"message\":\"\"},\"task_status\":" + status
        + data + "}");
  }

  /** An error answer in the API's new form. */
  public static MockResponse error(int httpStatus, String code, String requestId) {
    return json(httpStatus, "{\"request_id\":\"" + requestId + "\",\"log_id\":\"log-" + requestId + "\","
        + "\"error_detail\":{\"status_code\":" + httpStatus + ",\"code\":\"" + code + "\","
        + "\"code_message\":\"" + code + " happened\",\"message\":\"details of " + code + "\"}}");
  }

  /** A 200 whose body is not JSON. */
  public static MockResponse garbled() {
    return new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
        .body("{\"task_status\": 1, \"data\": {tru").build();
  }

  /**
   * The connection drops in the middle of the answer. (OkHttp itself cannot repeat this one: the
   * response had begun, so the failure always reaches the poller.)
   */
  public static MockResponse drop() {
    return new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
        .body("{\"task_status\":1,\"padding\":\"" + "x".repeat(4096) + "\"}")
        .onResponseBody(SocketEffect.ShutdownConnection.INSTANCE).build();
  }

  /**
   * The server closes the connection instead of answering. On a pooled connection OkHttp repeats the
   * request by itself (it cannot tell this from a stale connection), so the poller may never see it.
   */
  public static MockResponse dropBeforeAnswer() {
    return new MockResponse.Builder().onResponseStart(SocketEffect.ShutdownConnection.INSTANCE).build();
  }

  /** A JSON answer. */
  public static MockResponse json(int httpStatus, String body) {
    return new MockResponse.Builder().code(httpStatus).setHeader("Content-Type", "application/json")
        .body(body).build();
  }
}
