package io.github.ailabkit.internal;

import io.github.ailabkit.AILabApiException;
import io.github.ailabkit.AILabEventListener;
import io.github.ailabkit.AILabException;
import io.github.ailabkit.TaskFailedException;
import io.github.ailabkit.TaskPollListener;
import io.github.ailabkit.TaskResult;
import io.github.ailabkit.TaskStatus;
import io.github.ailabkit.TaskTimeoutException;
import io.github.ailabkit.WaitEndedEvent;
import io.github.ailabkit.WaitPollEvent;
import io.github.ailabkit.WaitStartedEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives the waits of one poller: timers on the shared {@link ClientTimer}, due polls admitted by
 * a {@link PollGate} (rate budget and in-flight cap), and the decision after each poll (complete, fail,
 * or poll again) as the {@link PollOutcomes} table says, waiting per {@link Backoff#polls(Duration)}.
 */
public final class PollEngine {
  private static final Logger LOG = LoggerFactory.getLogger("io.github.ailabkit.poller");

  private final ClientTimer timer;
  private final BiFunction<String, Duration, CompletableFuture<TaskResult>> poll;
  private final Clock clock;
  private final Settings settings;
  /** The wait after transient failures, and the jitter that lengthens every interval (never shortens it). */
  private final Backoff backoff;
  private final TaskPollListener listener;
  private final AILabEventListener events;
  private final PollGate gate;
  private final ThrottleNotice throttle;
  /** Waits started and not yet ended. */
  private final AtomicInteger active = new AtomicInteger();

  /**
   * The poller's settings.
   *
   * @param interval time between polls of one task
   * @param initialDelay time before a wait's first poll
   * @param maxPollsPerSecond poll rate shared by all waits
   * @param maxPollsInFlight concurrent polls allowed
   */
  public record Settings(Duration interval, Duration initialDelay, double maxPollsPerSecond, int maxPollsInFlight) {
  }

  /**
   * @param poll sends one poll for a task id with an HTTP timeout; its future fails with the SDK's exceptions
   */
  public PollEngine(ClientTimer timer, BiFunction<String, Duration, CompletableFuture<TaskResult>> poll,
      Clock clock, Settings settings, TaskPollListener listener) {
    this(timer, poll, clock, settings, listener, AILabEventListener.NONE);
  }

  /**
   * @param poll sends one poll for a task id with an HTTP timeout; its future fails with the SDK's exceptions
   * @param events the client's event listener, already guarded against exceptions
   */
  public PollEngine(ClientTimer timer, BiFunction<String, Duration, CompletableFuture<TaskResult>> poll,
      Clock clock, Settings settings, TaskPollListener listener, AILabEventListener events) {
    this.timer = timer;
    this.poll = poll;
    this.clock = clock;
    this.settings = settings;
    this.backoff = Backoff.polls(settings.interval());
    this.listener = listener;
    this.events = events;
    this.throttle = new ThrottleNotice(LOG, settings, System::nanoTime);
    this.gate = new PollGate(timer, new RateBudget(settings.maxPollsPerSecond(), System::nanoTime),
        settings.maxPollsInFlight(), this::sendSafely);
  }

  /**
   * Starts a wait that ends by {@code deadline}.
   *
   * @param deadlineReason completes "did not complete …" in a timeout's message, e.g. "within the
   *     poller's timeout of PT10M"; if the deadline already passed, the wait fails at once with it
   */
  public CompletableFuture<TaskResult> start(String taskId, Instant deadline, String deadlineReason) {
    return start(taskId, deadline, deadlineReason, null);
  }

  /**
   * Starts a wait for a task submitted at {@code submittedAt} (null if unknown). A task submitted more than
   * one interval ago is polled at once: it has had the time a first poll waits for.
   */
  public CompletableFuture<TaskResult> start(String taskId, Instant deadline, String deadlineReason,
      Instant submittedAt) {
    Instant now = clock.instant();
    PendingWait wait = new PendingWait(taskId, deadline, deadlineReason, System.nanoTime(), submittedAt);
    active.incrementAndGet();
    events.onWaitStarted(new WaitStartedEvent(taskId, now, submittedAt, deadline));
    wait.future.whenComplete((result, error) -> {
      cleanUp(wait);
      active.decrementAndGet();
      reportEnd(wait, error);
    });
    if (!now.isBefore(deadline)) {
      wait.future.completeExceptionally(new TaskTimeoutException(
          "Task " + taskId + " did not complete " + deadlineReason + "; nothing was polled", taskId, null));
      return wait.future;
    }
    if (!timer.register(wait.onClientClose)) {
      wait.onClientClose.run();
      return wait.future;
    }
    boolean submittedLongAgo = submittedAt != null && !submittedAt.plus(settings.interval()).isAfter(now);
    scheduleNext(wait, submittedLongAgo ? Duration.ZERO : settings.initialDelay());
    return wait.future;
  }

  /** The number of waits in progress. */
  public int activeWaits() {
    return active.get();
  }

  private void scheduleNext(PendingWait wait, Duration delay) {
    Duration remaining = Duration.between(clock.instant(), wait.deadline);
    synchronized (wait) {
      if (wait.isDone()) {
        return;
      }
      if (delay.compareTo(remaining) >= 0) {
        wait.pending = timer.schedule(() -> timeOut(wait), remaining);
      } else {
        wait.pending = timer.schedule(() -> enqueue(wait), delay);
      }
    }
  }

  private void enqueue(PendingWait wait) {
    Duration remaining = Duration.between(clock.instant(), wait.deadline);
    synchronized (wait) {
      if (wait.isDone()) {
        return;
      }
      // A due poll may wait here for a free slot or a permit; its deadline does not wait with it.
      wait.queued = true;
      wait.queuedAtNanos = System.nanoTime();
      wait.pending = timer.schedule(() -> expireQueued(wait), remaining);
    }
    gate.offer(wait);
  }

  /** The deadline of a wait passed while its poll was still queued, not sent. */
  private void expireQueued(PendingWait wait) {
    synchronized (wait) {
      if (!wait.queued) {
        return;
      }
      wait.queued = false;
    }
    timeOut(wait);
  }

  private void sendSafely(PendingWait wait) {
    try {
      send(wait);
    } catch (RuntimeException | Error unexpected) {
      fail(wait, unexpected);
    }
  }

  /** Sends the poll of a wait that holds a slot; the slot is released whatever happens. */
  private void send(PendingWait wait) {
    Duration remaining = Duration.between(clock.instant(), wait.deadline);
    CompletableFuture<TaskResult> call = null;
    boolean expired = false;
    long held = -1;
    synchronized (wait) {
      if (wait.queued && !wait.isDone()) {
        wait.queued = false;
        held = System.nanoTime() - wait.queuedAtNanos;
        if (wait.pending != null) {
          wait.pending.cancel(false);
        }
        if (remaining.isNegative() || remaining.isZero()) {
          expired = true;
        } else {
          try {
            call = poll.apply(wait.taskId, remaining);
          } catch (RuntimeException e) {
            // e.g. the client closed meanwhile: end up in onError like any failed poll
            call = CompletableFuture.failedFuture(e);
          }
          wait.pending = call;
        }
      }
    }
    if (held >= 0 && throttle.isThrottled(held)) {
      reportThrottled(wait, held);
    }
    if (call == null) {
      gate.release();
      if (expired) {
        timeOut(wait);
      }
      gate.admit();
      return;
    }
    call.whenComplete((result, error) -> {
      // The poll is over: its slot goes to a queued poll now, not once caller code chained on the wait returns.
      gate.release();
      gate.admitSoon();
      try {
        if (error == null) {
          onAnswer(wait, result);
        } else {
          onError(wait, unwrap(error));
        }
      } catch (RuntimeException | Error unexpected) {
        fail(wait, unexpected);
      }
    });
  }

  /** Tells the listener and the log that the budget held a due poll back. */
  private void reportThrottled(PendingWait wait, long heldNanos) {
    Duration held = Duration.ofNanos(heldNanos);
    Duration effective = throttle.effectiveInterval(heldNanos);
    int pending = active.get();
    notify(() -> listener.onPollDelayed(wait.taskId, held, pending, effective));
    throttle.warn(pending, effective);
  }

  /** Reports the end of a wait to the client's event listener. */
  private void reportEnd(PendingWait wait, Throwable error) {
    Throwable cause = error == null ? null : unwrap(error);
    WaitEndedEvent.Kind kind = cause == null ? WaitEndedEvent.Kind.COMPLETED
        : cause instanceof CancellationException || timer.isClosed() ? WaitEndedEvent.Kind.CANCELLED
        : cause instanceof TaskTimeoutException ? WaitEndedEvent.Kind.TIMEOUT
        : WaitEndedEvent.Kind.FAILED;
    int polls;
    synchronized (wait) {
      polls = wait.polls;
    }
    Duration waited = Duration.ofNanos(System.nanoTime() - wait.startedNanos);
    Duration sinceSubmission = wait.submittedAt == null ? waited : Duration.between(wait.submittedAt, clock.instant());
    events.onWaitEnded(new WaitEndedEvent(wait.taskId, kind, polls, waited, sinceSubmission, cause));
  }

  /** Ends a wait that an unexpected error would otherwise leave pending forever. */
  private void fail(PendingWait wait, Throwable unexpected) {
    LOG.error("Unexpected error while waiting for task {}", wait.taskId, unexpected);
    wait.future.completeExceptionally(unexpected instanceof AILabException ? unexpected
        : new AILabException("Unexpected error while waiting for task " + wait.taskId, unexpected));
  }

  private void onAnswer(PendingWait wait, TaskResult result) {
    if (wait.isDone()) {
      return;
    }
    TaskStatus previous;
    int attempt;
    synchronized (wait) {
      attempt = ++wait.polls;
      previous = wait.lastStatus;
      wait.lastStatus = result.taskStatus();
      wait.lastResult = result;
      wait.consecutiveFailures = 0;
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - wait.startedNanos);
    events.onWaitPoll(new WaitPollEvent(wait.taskId, attempt, previous, result.taskStatus(), null, elapsed));
    notify(() -> listener.onPoll(wait.taskId, attempt, result.taskStatus(), elapsed));
    if (previous != result.taskStatus()) {
      notify(() -> listener.onStatusChange(wait.taskId, previous, result.taskStatus()));
    }
    if (PollOutcomes.accept(PollOutcomes.Outcome.of(result)).state() == PollOutcomes.State.SUCCESS) {
      wait.future.complete(result);
      return;
    }
    if (result.taskStatus() == TaskStatus.UNKNOWN && !wait.warnedUnknownStatus) {
      wait.warnedUnknownStatus = true;
      LOG.warn("Task {} reported task_status {}, which this SDK does not know; still waiting", wait.taskId,
          result.rawTaskStatus());
    }
    scheduleNext(wait, backoff.lengthened(settings.interval()));
  }

  private void onError(PendingWait wait, Throwable error) {
    if (wait.isDone()) {
      return;
    }
    PollOutcomes.Acceptor rule = PollOutcomes.accept(PollOutcomes.Outcome.of(error));
    switch (rule.state()) {
      case RETRY -> retryAfterFailure(wait, (AILabException) error);
      case FAILURE -> wait.future.completeExceptionally(
          rule.taskFailed() ? new TaskFailedException(wait.taskId, (AILabApiException) error) : error);
      case SUCCESS -> fail(wait, new IllegalStateException("a failed poll cannot complete a wait: " + rule.name()));
    }
  }

  /** Reports a transient poll failure and schedules the next poll after the poll backoff. */
  private void retryAfterFailure(PendingWait wait, AILabException transientError) {
    int failures;
    int attempt;
    TaskStatus previous;
    synchronized (wait) {
      failures = ++wait.consecutiveFailures;
      attempt = ++wait.polls;
      previous = wait.lastStatus;
    }
    events.onWaitPoll(new WaitPollEvent(wait.taskId, attempt, previous, null, transientError,
        Duration.ofNanos(System.nanoTime() - wait.startedNanos)));
    notify(() -> listener.onTransientError(wait.taskId, attempt, transientError));
    Duration retryAfter = transientError instanceof AILabApiException api ? api.retryAfter().orElse(null) : null;
    scheduleNext(wait, backoff.delay(failures, retryAfter));
  }

  private void timeOut(PendingWait wait) {
    TaskResult last;
    synchronized (wait) {
      last = wait.lastResult;
    }
    String status = last == null ? "no poll answered" : "last status " + last.taskStatus();
    TaskTimeoutException timeout = new TaskTimeoutException(
        "Task " + wait.taskId + " did not complete " + wait.deadlineReason + " (" + status + ")", wait.taskId, last);
    timer.runOffTimer(() -> wait.future.completeExceptionally(timeout)); // callers' code must not run on it
  }

  private void cleanUp(PendingWait wait) {
    timer.unregister(wait.onClientClose);
    synchronized (wait) {
      if (wait.pending != null) {
        wait.pending.cancel(false);
      }
    }
  }

  private static Throwable unwrap(Throwable error) {
    return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
  }

  private void notify(Runnable callback) {
    try {
      callback.run();
    } catch (Throwable e) { // even an Error: a listener must never strand a wait
      LOG.warn("TaskPollListener threw; the wait goes on", e);
    }
  }
}
