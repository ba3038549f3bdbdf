package io.github.ailabkit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.ailabkit.AILabApiException;
import io.github.ailabkit.AILabException;
import io.github.ailabkit.ErrorDetail;
import io.github.ailabkit.TaskFailedException;
import io.github.ailabkit.TaskPollListener;
import io.github.ailabkit.TaskResult;
import io.github.ailabkit.testing.PollThreads;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The poll engine with a poll function of the test's own, for what a real HTTP client cannot provoke
 * on demand: polls that throw, or that fail or succeed synchronously, for thousands of waits at once.
 */
class PollEngineTest {
  final ClientTimer timer = new ClientTimer();

  @AfterEach
  void tearDown() {
    timer.close();
  }

  PollEngine engine(BiFunction<String, Duration, CompletableFuture<TaskResult>> poll, int maxInFlight) {
    return new PollEngine(timer, poll, Clock.systemUTC(),
        new PollEngine.Settings(Duration.ofMillis(1), Duration.ZERO, 1e9, maxInFlight), new TaskPollListener() { });
  }

  CompletableFuture<TaskResult> start(PollEngine engine, String taskId) {
    return engine.start(taskId, Instant.now().plusSeconds(30), "expired");
  }

  static TaskResult status(int status) {
    return ResponseReader.taskResult(Json.mapper().createObjectNode().put("task_status", status));
  }

  static Throwable failure(CompletableFuture<?> future) throws Exception {
    try {
      future.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("expected a failure");
  }

  /** Returns once every timer task scheduled before this call (with delay 0) has run. */
  void drainTimer() throws InterruptedException {
    java.util.concurrent.CountDownLatch ran = new java.util.concurrent.CountDownLatch(1);
    timer.schedule(ran::countDown, Duration.ZERO);
    assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void aFreedSlotIsUsedWhileCodeChainedOnTheFinishedWaitStillRuns() throws Exception {
    CompletableFuture<TaskResult> firstPoll = new CompletableFuture<>();
    List<String> polled = new java.util.concurrent.CopyOnWriteArrayList<>();
    PollEngine engine = engine((id, timeout) -> {
      polled.add(id);
      return id.equals("a") ? firstPoll : CompletableFuture.completedFuture(status(2));
    }, 1);
    CompletableFuture<TaskResult> a = start(engine, "a");
    drainTimer(); // a's poll holds the only slot
    CompletableFuture<TaskResult> b = start(engine, "b");
    drainTimer(); // b's poll is due, queued behind a's
    assertThat(polled).containsExactly("a");

    // Code chained on a (say, downloading its result) waits for b before it returns.
    CompletableFuture<TaskResult> bSeenFromAsCode = a.thenApply(done -> b.join());
    new Thread(() -> firstPoll.complete(status(2)), "http-thread-stand-in").start();

    assertThat(bSeenFromAsCode.get(10, TimeUnit.SECONDS).isCompleted()).isTrue();
  }

  @Test
  void timeoutsFiringTogetherUseAFewCompletionThreadsHoweverLongTheirCallbacksTake() throws Exception {
    PollEngine engine = new PollEngine(timer, (id, timeout) -> new CompletableFuture<>(), Clock.systemUTC(),
        new PollEngine.Settings(Duration.ofMillis(1), Duration.ofHours(1), 1e9, 8), new TaskPollListener() { });
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch firstCallback = new java.util.concurrent.CountDownLatch(1);
    AtomicInteger callbacks = new AtomicInteger();
    Instant deadline = Instant.now().plusMillis(100);
    PollThreads threads = PollThreads.snapshot();
    List<CompletableFuture<Void>> chained = new ArrayList<>();
    try {
      for (int i = 0; i < 40; i++) {
        chained.add(engine.start("t" + i, deadline, "within 100 ms").handle((r, e) -> {
          callbacks.incrementAndGet();
          firstCallback.countDown();
          try {
            release.await(10, TimeUnit.SECONDS); // the application's own slow step
          } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
          }
          return null;
        }));
      }
      assertThat(firstCallback.await(10, TimeUnit.SECONDS)).isTrue();
      java.util.concurrent.CountDownLatch allTimedOut = new java.util.concurrent.CountDownLatch(1);
      timer.schedule(allTimedOut::countDown, Duration.between(Instant.now(), deadline).plusMillis(50));
      assertThat(allTimedOut.await(10, TimeUnit.SECONDS)).isTrue(); // the timer has handed over all 40
      assertThat(threads.newSdkThreads()).filteredOn(t -> t.getName().startsWith("ailab-complete-")).hasSize(2);
    } finally {
      release.countDown();
    }
    CompletableFuture.allOf(chained.toArray(new CompletableFuture<?>[0])).get(10, TimeUnit.SECONDS);
    assertThat(callbacks).hasValue(40);
  }

  @Test
  void aPollThatThrowsEndsThatWaitAndFreesItsSlot() throws Exception {
    PollEngine engine = engine((id, timeout) -> {
      if (id.equals("bad")) {
        throw new IllegalStateException("cannot poll " + id);
      }
      return CompletableFuture.completedFuture(status(2));
    }, 1);

    CompletableFuture<TaskResult> bad = start(engine, "bad");
    CompletableFuture<TaskResult> good = start(engine, "good");

    assertThat(failure(bad)).isInstanceOf(IllegalStateException.class).hasMessageContaining("cannot poll bad");
    assertThat(good.get(10, TimeUnit.SECONDS).isCompleted()).isTrue();
    assertThat(timer.pending()).isZero();
  }

  /**
   * Queues {@code n} waits behind one blocked poll (cap 1), then unblocks it: every queued poll then
   * answers synchronously with {@code answer}, on the unblocking thread.
   */
  List<CompletableFuture<TaskResult>> queueBehindABlockedPoll(int n,
      BiFunction<String, Duration, CompletableFuture<TaskResult>> answer, AtomicInteger polls) throws Exception {
    CompletableFuture<TaskResult> blocker = new CompletableFuture<>();
    PollEngine engine = engine((id, timeout) -> {
      polls.incrementAndGet();
      return id.equals("blocker") ? blocker : answer.apply(id, timeout);
    }, 1);
    CompletableFuture<TaskResult> blocked = start(engine, "blocker");
    List<CompletableFuture<TaskResult>> waits = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      waits.add(start(engine, "t" + i));
    }
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (polls.get() == 0 && System.nanoTime() < end) {
      Thread.sleep(5);
    }
    Thread.sleep(100); // let the timer queue every wait behind the blocker

    blocker.complete(status(2));

    assertThat(blocked.get(10, TimeUnit.SECONDS).isCompleted()).isTrue();
    return waits;
  }

  @Test
  void thousandsOfQueuedPollsFailingSynchronouslyDoNotRecurse() throws Exception {
    AILabApiException gone = new AILabApiException("HTTP 404", 404, new ErrorDetail("ERROR_RESOURCE_NOT_FOUND", "", ""),
        "r", "l", false, null);
    AtomicInteger polls = new AtomicInteger();

    List<CompletableFuture<TaskResult>> waits =
        queueBehindABlockedPoll(20_000, (id, timeout) -> CompletableFuture.failedFuture(gone), polls);

    for (CompletableFuture<TaskResult> wait : waits) {
      assertThat(failure(wait)).isInstanceOf(TaskFailedException.class);
    }
    assertThat(polls).hasValue(20_001);
  }

  @Test
  void thousandsOfQueuedPollsAnsweringSynchronouslyAllComplete() throws Exception {
    AtomicInteger polls = new AtomicInteger();

    List<CompletableFuture<TaskResult>> waits =
        queueBehindABlockedPoll(20_000, (id, timeout) -> CompletableFuture.completedFuture(status(2)), polls);

    CompletableFuture.allOf(waits.toArray(new CompletableFuture<?>[0])).get(20, TimeUnit.SECONDS);
    assertThat(polls).hasValue(20_001);
  }

  @Test
  void closingTheSchedulerEndsEveryWait() throws Exception {
    PollEngine engine = engine((id, timeout) -> new CompletableFuture<>(), 2); // polls that never answer
    List<CompletableFuture<TaskResult>> waits = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      waits.add(start(engine, "t" + i));
    }

    timer.close();

    for (CompletableFuture<TaskResult> wait : waits) {
      assertThat(failure(wait)).isExactlyInstanceOf(AILabException.class).hasMessageContaining("closed");
    }
    assertThat(timer.pending()).isZero();
    assertThat(failure(start(engine, "late"))).hasMessageContaining("closed");
  }
}
