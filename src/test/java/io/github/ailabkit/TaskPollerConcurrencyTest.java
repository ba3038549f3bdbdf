package io.github.ailabkit;

import static io.github.ailabkit.testing.PollScript.error;
import static io.github.ailabkit.testing.PollScript.status;
import static io.github.ailabkit.testing.PollThreads.eventually;
import static java.time.Duration.ZERO;
import static java.time.Duration.ofMillis;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.ailabkit.internal.HttpClients;
import io.github.ailabkit.testing.PollMode;
import io.github.ailabkit.testing.PollMode.Waiting;
import io.github.ailabkit.testing.PollScript;
import io.github.ailabkit.testing.PollThreads;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The poller under concurrency: the cap on polls in flight, the shared rate budget, races between
 * completion, timeout, cancellation and close, and the threads it uses. Runs every scenario through
 * both the blocking and the asynchronous form.
 */
class TaskPollerConcurrencyTest {
  @StartStop final MockWebServer server = PollScript.newServer();
  final PollScript script = new PollScript();
  final List<AILabClient> clients = new ArrayList<>();

  @BeforeEach
  void setUp() {
    server.setDispatcher(script);
  }

  @AfterEach
  void tearDown() {
    script.release();
    clients.forEach(AILabClient::close);
  }

  AILabClient newClient() {
    AILabClient client = AILabClient.builder().apiKey("test-key").baseUrl(server.url("/").toString()).build();
    clients.add(client);
    return client;
  }

  static TaskPoller.Builder fast(AILabClient client) {
    return TaskPoller.builder(client).interval(ofMillis(10)).initialDelay(ZERO).maxPollsPerSecond(10_000)
        .timeout(Duration.ofSeconds(10));
  }

  static List<Waiting> startAll(PollMode mode, TaskPoller poller, List<String> ids) {
    List<Waiting> waits = new ArrayList<>();
    ids.forEach(id -> waits.add(mode.start(poller, id)));
    return waits;
  }

  static List<String> ids(String prefix, int n) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add(prefix + i);
    }
    return ids;
  }

  // ---- cap and rate -------------------------------------------------------------------------------

  @ParameterizedTest
  @EnumSource(PollMode.class)
  void noMoreThanMaxPollsInFlightAreAnsweredAtOnce(PollMode mode) throws Exception {
    List<String> ids = ids("cap", 10);
    ids.forEach(id -> script.statuses(id, 0, 2));
    script.hold();
    TaskPoller poller = fast(newClient()).maxPollsInFlight(3).build();

    List<Waiting> waits = startAll(mode, poller, ids);
    assertThat(eventually(5000, () -> script.concurrent() == 3)).as("three polls held").isTrue();
    Thread.sleep(100);
    assertThat(script.total()).as("no fourth poll while three are in flight").isEqualTo(3);
    script.release();

    waits.forEach(w -> assertThat(w.result().isCompleted()).isTrue());
    assertThat(script.maxConcurrent()).isEqualTo(3);
    ids.forEach(id -> assertThat(script.requests(id)).isEqualTo(2));
  }

  @ParameterizedTest
  @EnumSource(PollMode.class)
  void theCapHoldsWhenPollsFail(PollMode mode) {
    List<String> ids = ids("capfail", 12);
    ids.forEach(id -> script.on(id, error(503, "AI_SERVICE_FLOW_RESTRICTION", "r"), status(id, 1), status(id, 2)));
    script.hold(n -> n == 1);
    TaskPoller poller = fast(newClient()).maxPollsInFlight(2).build();

    List<Waiting> waits = startAll(mode, poller, ids);
    assertThat(eventually(5000, () -> script.concurrent() == 2)).isTrue();
    script.release();

    waits.forEach(w -> assertThat(w.result().isCompleted()).isTrue());
    assertThat(script.maxConcurrent()).isEqualTo(2);
    ids.forEach(id -> assertThat(script.requests(id)).isEqualTo(3));
  }

  @ParameterizedTest
  @EnumSource(PollMode.class)
  void allWaitsOfAPollerShareItsRate(PollMode mode) throws Exception {
    List<Long> arrivals = new CopyOnWriteArrayList<>();
    server.setDispatcher(new mockwebserver3.Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
        arrivals.add(System.nanoTime());
        return script.dispatch(request);
      }
    });
    List<String> ids = ids("rate", 6);
    ids.forEach(id -> script.statuses(id, 2));
    script.statuses("warm-up", 2);
    TaskPoller poller = fast(newClient()).maxPollsPerSecond(20).maxPollsInFlight(8).build();
    poller.awaitCompletionAsync("warm-up").get(5, TimeUnit.SECONDS);
    Thread.sleep(150); // idle for longer than the spacing: no burst may build up meanwhile
    arrivals.clear();

    List<Waiting> waits = startAll(mode, poller, ids);
    waits.forEach(w -> assertThat(w.result().isCompleted()).isTrue());

    // 20 per second: six polls due at once go out 50 ms apart, so they span 250 ms; sent at once they
    // would span a few milliseconds. Allow 100 ms for a first request delayed on its way (a loaded
    // machine). The exact spacing is RateBudgetTest's business, on a fake clock.
    assertThat(arrivals).hasSize(6);
    long spanMillis = (arrivals.get(5) - arrivals.get(0)) / 1_000_000;
    assertThat(spanMillis).isGreaterThanOrEqualTo(150);
  }

  // ---- deadlines and races ------------------------------------------------------------------------

  @ParameterizedTest
  @EnumSource(PollMode.class)
  void aDeadlinePassingWhileQueuedBehindTheCap_endsTheWaitOnTime(PollMode mode) {
    script.statuses("slow", 0).statuses("late", 2).holdTask("slow");
    TaskPoller poller = fast(newClient()).maxPollsInFlight(1).build();
    CompletableFuture<TaskResult> slow = poller.awaitCompletionAsync("slow");
    assertThat(eventually(5000, () -> script.concurrent() == 1)).isTrue();

    Waiting late = mode.start(poller, "late", Instant.now().minus(TaskPoller.RESULT_RETENTION).plusMillis(100));

    assertThat(eventually(2000, late::isDone)).as("ended by its deadline, not by the other task's poll").isTrue();
    assertThat(late.error()).isInstanceOfSatisfying(TaskTimeoutException.class,
        e -> assertThat(e.lastResult()).isNull());
    assertThat(script.requests("late")).isZero();
    assertThat(slow).isNotDone();
  }

  @ParameterizedTest
  @EnumSource(PollMode.class)
  void aDeadlinePassingWhileEveryHttpThreadIsBusy_endsTheWaitOnTime(PollMode mode) {
    // Other asynchronous calls of the client (slow queries, uploads) hold every dispatcher thread.
    script.statuses("busy", 1).statuses("t", 1).holdTask("busy");
    AILabClient client = newClient();
    for (int i = 0; i < HttpClients.ASYNC_THREADS; i++) {
      client.getTaskResultAsync("busy");
    }
    assertThat(eventually(5000, () -> script.concurrent() == HttpClients.ASYNC_THREADS)).isTrue();

    Waiting wait = mode.start(fast(client).timeout(ofMillis(300)).build(), "t");

    assertThat(eventually(3000, wait::isDone)).as("ended by its deadline, not when a thread came free").isTrue();
    assertThat(wait.error()).isInstanceOf(TaskTimeoutException.class);
    assertThat(script.requests("t")).isZero();
  }

  @Test
  void codeChainedOnACompletedWait_doesNotHoldItsPollSlot() throws Exception {
    script.statuses("a", 2).statuses("b", 2);
    TaskPoller poller = fast(newClient()).maxPollsInFlight(1).timeout(Duration.ofSeconds(2)).build();

    // The second step of a pipeline blocks on the next task inside the first one's continuation.
    CompletableFuture<TaskResult> pipeline = poller.awaitCompletionAsync("a")
        .thenApply(a -> poller.awaitCompletion("b"));

    assertThat(pipeline.get(PollMode.OUTCOME_TIMEOUT_SECONDS, TimeUnit.SECONDS).isCompleted()).isTrue();
  }

  @Test
  void codeChainedOnATimedOutWait_canWaitForAnotherTask() throws Exception {
    script.statuses("a", 1).statuses("b", 2);
    TaskPoller poller = fast(newClient()).timeout(ofMillis(200)).build();

    // A fallback that blocks inside the timeout's continuation: it must not run on the timer thread.
    CompletableFuture<TaskResult> withFallback = poller.awaitCompletionAsync("a")
        .exceptionally(timedOut -> poller.awaitCompletion("b"));

    assertThat(withFallback.get(PollMode.OUTCOME_TIMEOUT_SECONDS, TimeUnit.SECONDS).isCompleted()).isTrue();
  }

  @ParameterizedTest
  @EnumSource(PollMode.class)
  void aCompletedAnswerSeenAsTheDeadlinePasses_isDelivered(PollMode mode) {
    script.statuses("t1", 2);
    Duration timeout = ofMillis(300);
    long startedBefore = System.nanoTime();
    TaskPollListener slowListener = new TaskPollListener() {
      @Override
      public void onPoll(String taskId, int attempt, TaskStatus status, Duration elapsed) {
        // the deadline passes while the completed answer is being handled
        sleep(Math.max(0, timeout.toMillis() + 50 - (System.nanoTime() - startedBefore) / 1_000_000));
      }
    };
    TaskPoller poller = fast(newClient()).timeout(timeout).listener(slowListener).build();

    TaskResult result = mode.start(poller, "t1").result();

    assertThat(result.isCompleted()).isTrue();
    assertThat(script.total()).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(PollMode.class)
  void aWaitThatEndedIsNotChangedByCloseOrCancel(PollMode mode) {
    script.statuses("t1", 2);
    script.on("t2", error(422, "ERROR_NO_FACE_IN_FILE", "r"));
    AILabClient client = newClient();
    TaskPoller poller = fast(client).build();
    Waiting done = mode.start(poller, "t1");
    Waiting failed = mode.start(poller, "t2");
    TaskResult result = done.result();
    Throwable error = failed.error();

    done.cancel();
    failed.cancel();
    client.close();

    assertThat(done.result()).isSameAs(result);
    assertThat(failed.error()).isSameAs(error);
  }

  @ParameterizedTest
  @EnumSource(PollMode.class)
  void cancellingManyWaitsAtRandomMoments_leavesNothingBehind(PollMode mode) throws Exception {
    int n = mode == PollMode.ASYNC ? 200 : 40;
    List<String> ids = ids("rnd", n);
    ids.forEach(id -> script.statuses(id, 0, 1, 2));
    AILabClient client = newClient();
    TaskPoller poller = fast(client).interval(ofMillis(5)).maxPollsInFlight(4).build();
    List<Waiting> waits = startAll(mode, poller, ids);

    for (int i = 0; i < n; i += 2) {
      if (ThreadLocalRandom.current().nextInt(4) == 0) {
        Thread.sleep(1);
      }
      waits.get(i).cancel();
    }

    for (int i = 0; i < n; i++) {
      Object outcome = waits.get(i).outcome();
      if (i % 2 == 1) {
        assertThat(outcome).isInstanceOf(TaskResult.class);
      } else {
        assertThat(outcome).isInstanceOfAny(TaskResult.class, CancellationException.class, AILabException.class);
      }
    }
    assertThat(eventually(1000, () -> client.timer().pending() == 0)).isTrue();
    int total = script.total();
    Thread.sleep(60);
    assertThat(script.total()).as("no poll after every wait ended").isEqualTo(total);
    ids.forEach(id -> assertThat(script.requests(id)).isLessThanOrEqualTo(3));
  }

  // ---- close --------------------------------------------------------------------------------------

  @ParameterizedTest
  @EnumSource(PollMode.class)
  void closeEndsEveryPendingWaitAndStopsEverySdkThread(PollMode mode) throws Exception {
    PollThreads threads = PollThreads.snapshot();
    script.statuses("between", 0).statuses("inflight", 0).statuses("notyet", 2).holdTask("inflight");
    AILabClient client = newClient();
    TaskPoller poller = fast(client).build();
    TaskPoller patient = fast(client).initialDelay(Duration.ofMinutes(1)).build();
    Waiting between = mode.start(poller, "between");
    Waiting inflight = mode.start(poller, "inflight");
    Waiting notYet = mode.start(patient, "notyet");
    assertThat(eventually(5000, () -> script.requests("between") >= 2 && script.concurrent() == 1)).isTrue();
    assertThat(threads.newSdkThreads()).isNotEmpty();

    client.close();

    for (Waiting w : List.of(between, inflight, notYet)) {
      assertThat(w.error()).isExactlyInstanceOf(AILabException.class).hasMessageContaining("closed");
    }
    assertThat(client.timer().pending()).isZero();
    assertThat(eventually(3000, () -> threads.newSdkThreads().isEmpty()))
        .as("SDK threads still running: %s", threads.newSdkThreads()).isTrue();
    int total = script.total();
    script.release();
    Thread.sleep(60);
    assertThat(script.total()).isEqualTo(total);
    assertThat(script.requests("notyet")).isZero();
  }

  @ParameterizedTest
  @EnumSource(PollMode.class)
  void aWaitStartedAfterCloseFailsWithoutPolling(PollMode mode) throws Exception {
    script.statuses("t1", 2);
    AILabClient client = newClient();
    TaskPoller poller = fast(client).build();
    client.close();

    Throwable error = mode.start(poller, "t1").error();

    assertThat(error).isInstanceOf(AILabException.class).hasMessageContaining("closed");
    Thread.sleep(30);
    assertThat(script.total()).isZero();
  }

  @ParameterizedTest
  @EnumSource(PollMode.class)
  void closeRacingWithCompletions_endsEveryWaitOneWayOrTheOther(PollMode mode) throws Exception {
    int n = mode == PollMode.ASYNC ? 200 : 30;
    PollThreads threads = PollThreads.snapshot();
    List<String> ids = ids("race", n);
    ids.forEach(id -> script.statuses(id, 0, 2));
    AILabClient client = newClient();
    List<Waiting> waits = startAll(mode, fast(client).interval(ofMillis(5)).build(), ids);
    assertThat(eventually(5000, () -> waits.stream().anyMatch(Waiting::isDone))).isTrue();

    client.close();

    for (Waiting w : waits) {
      Object outcome = w.outcome();
      if (outcome instanceof Throwable) {
        assertThat((Throwable) outcome).isExactlyInstanceOf(AILabException.class).hasMessageContaining("closed");
      } else {
        assertThat(((TaskResult) outcome).isCompleted()).isTrue();
      }
    }
    assertThat(eventually(3000, () -> threads.newSdkThreads().isEmpty())).isTrue();
  }

  // ---- threads ------------------------------------------------------------------------------------

  @ParameterizedTest
  @EnumSource(PollMode.class)
  void manyWaitsUseOneTimerThreadAndAFewHttpThreads(PollMode mode) throws Exception {
    int n = mode == PollMode.ASYNC ? 300 : 40;
    int maxInFlight = 4;
    PollThreads threads = PollThreads.snapshot();
    List<String> ids = ids("thr", n);
    ids.forEach(id -> script.statuses(id, 0, 1, 2));
    AILabClient client = newClient();
    TaskPoller poller = fast(client).interval(ofMillis(5)).maxPollsInFlight(maxInFlight).build();

    List<Waiting> waits = startAll(mode, poller, ids);
    int maxTimers = 0;
    int maxHttp = 0;
    while (!waits.stream().allMatch(Waiting::isDone)) {
      maxTimers = Math.max(maxTimers, threads.newTimerThreads().size());
      maxHttp = Math.max(maxHttp, threads.newHttpThreads().size());
      Thread.sleep(2);
    }

    waits.forEach(w -> assertThat(w.result().isCompleted()).isTrue());
    assertThat(maxTimers).as("timer threads").isEqualTo(1);
    // OkHttp's pool may briefly hold one extra thread per poll finishing as the next one starts.
    assertThat(maxHttp).as("HTTP threads").isBetween(1, 2 * maxInFlight + 2);
    assertThat(threads.newSdkThreads()).allSatisfy(t -> assertThat(t.isDaemon()).isTrue());
    ids.forEach(id -> assertThat(script.requests(id)).isEqualTo(3));
  }

  @ParameterizedTest
  @EnumSource(PollMode.class)
  void pollersOfOneClientShareOneDaemonTimerThread(PollMode mode) {
    PollThreads threads = PollThreads.snapshot();
    script.statuses("p1", 0, 2).statuses("p2", 1, 2).statuses("p3", 0, 0, 2);
    AILabClient client = newClient();
    TaskPoller one = fast(client).build();
    TaskPoller two = fast(client).interval(ofMillis(7)).maxPollsInFlight(2).build();
    List<String> timerNames = new CopyOnWriteArrayList<>();
    TaskPoller three = fast(client).listener(new TaskPollListener() {
      @Override
      public void onPoll(String taskId, int attempt, TaskStatus status, Duration elapsed) {
        threads.newTimerThreads().forEach(t -> timerNames.add(t.getName() + "/" + t.isDaemon()));
      }
    }).build();

    Waiting w1 = mode.start(one, "p1");
    Waiting w2 = mode.start(two, "p2");
    Waiting w3 = mode.start(three, "p3");
    w1.result();
    w2.result();
    w3.result();

    assertThat(timerNames).isNotEmpty().allSatisfy(name -> assertThat(name).matches("ailab-timer-\\d+/true"));
    assertThat(threads.newTimerThreads()).hasSizeLessThanOrEqualTo(1);
  }

  @Test
  void theDefaultPollerIsSharedAndRespectsClose() {
    AILabClient client = newClient();
    assertThat(client.taskPoller()).isSameAs(client.taskPoller());
    client.close();
    assertThatThrownBy(() -> client.taskPoller().awaitCompletion("t1")).isInstanceOf(AILabException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void pollsInFlightNeverExceedTheCapUnderLoad() throws Exception {
    AtomicInteger released = new AtomicInteger();
    List<String> ids = ids("load", 150);
    ids.forEach(id -> script.on(id, status(id, 0), error(502, "AI_SERVICE_ERROR", "r"), status(id, 1), status(id, 2)));
    TaskPoller poller = fast(newClient()).interval(ofMillis(3)).maxPollsInFlight(5).build();

    List<CompletableFuture<TaskResult>> futures = new ArrayList<>();
    ids.forEach(id -> futures.add(poller.awaitCompletionAsync(id).whenComplete((r, e) -> released.incrementAndGet())));
    CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0])).get(20, TimeUnit.SECONDS);

    assertThat(released).hasValue(150);
    assertThat(script.maxConcurrent()).isBetween(1, 5);
    ids.forEach(id -> assertThat(script.requests(id)).isEqualTo(4));
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
