package io.github.ailabkit.internal;

import io.github.ailabkit.AILabApiException;
import io.github.ailabkit.AILabException;
import io.github.ailabkit.AILabIOException;
import io.github.ailabkit.AuthenticationException;
import io.github.ailabkit.RateLimitException;
import io.github.ailabkit.TaskFailedException;
import io.github.ailabkit.TaskPollListener;
import io.github.ailabkit.TaskResult;
import io.github.ailabkit.TaskStatus;
import io.github.ailabkit.TaskTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives the waits of one poller: timers on the shared {@link PollScheduler}, a queue of due polls
 * released under the poller's rate budget and in-flight cap, and the decision after each poll
 * (complete, fail, or poll again).
 */
public final class PollEngine {
  private static final Logger LOG = LoggerFactory.getLogger("io.github.ailabkit.poller");
  /** Jitter lengthens each interval by up to this fraction; never shortens it. */
  private static final double JITTER = 0.1;
  /** Backoff after transient failures never exceeds this (unless the interval itself is longer). */
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(60);

  private final PollScheduler scheduler;
  private final BiFunction<String, Duration, CompletableFuture<TaskResult>> poll;
  private final Clock clock;
  private final Settings settings;
  private final TaskPollListener listener;
  private final RateBudget budget;
  private final ArrayDeque<PendingWait> due = new ArrayDeque<>();
  private int inFlight;
  private boolean drainScheduled;

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
  public PollEngine(PollScheduler scheduler, BiFunction<String, Duration, CompletableFuture<TaskResult>> poll,
      Clock clock, Settings settings, TaskPollListener listener) {
    this.scheduler = scheduler;
    this.poll = poll;
    this.clock = clock;
    this.settings = settings;
    this.listener = listener;
    this.budget = new RateBudget(settings.maxPollsPerSecond(), System::nanoTime);
  }

  /** Starts a wait that ends by {@code deadline}; {@code expiredMessage} is used if it already passed. */
  public CompletableFuture<TaskResult> start(String taskId, Instant deadline, String expiredMessage) {
    PendingWait wait = new PendingWait(taskId, deadline, System.nanoTime());
    wait.future.whenComplete((result, error) -> cleanUp(wait));
    if (!clock.instant().isBefore(deadline)) {
      wait.future.completeExceptionally(new TaskTimeoutException(expiredMessage, taskId, null));
      return wait.future;
    }
    if (!scheduler.register(wait.onClientClose)) {
      wait.onClientClose.run();
      return wait.future;
    }
    scheduleNext(wait, settings.initialDelay());
    return wait.future;
  }

  private void scheduleNext(PendingWait wait, Duration delay) {
    Duration remaining = Duration.between(clock.instant(), wait.deadline);
    synchronized (wait) {
      if (wait.isDone()) {
        return;
      }
      if (delay.compareTo(remaining) >= 0) {
        wait.pending = scheduler.schedule(() -> timeOut(wait), remaining);
      } else {
        wait.pending = scheduler.schedule(() -> enqueue(wait), delay);
      }
    }
  }

  private void enqueue(PendingWait wait) {
    synchronized (this) {
      due.add(wait);
    }
    drain();
  }

  /** Starts as many due polls as the in-flight cap and the rate budget allow. */
  private void drain() {
    List<PendingWait> toStart = new ArrayList<>();
    synchronized (this) {
      while (inFlight < settings.maxPollsInFlight() && !due.isEmpty()) {
        if (due.peek().isDone()) {
          due.poll();
          continue;
        }
        long waitNanos = budget.tryAcquire();
        if (waitNanos > 0) {
          if (!drainScheduled) {
            drainScheduled = true;
            scheduler.schedule(this::scheduledDrain, Duration.ofNanos(waitNanos));
          }
          break;
        }
        inFlight++;
        toStart.add(due.poll());
      }
    }
    toStart.forEach(this::send);
  }

  private void scheduledDrain() {
    synchronized (this) {
      drainScheduled = false;
    }
    drain();
  }

  private void send(PendingWait wait) {
    Duration remaining = Duration.between(clock.instant(), wait.deadline);
    CompletableFuture<TaskResult> call;
    synchronized (wait) {
      if (wait.isDone() || remaining.isNegative() || remaining.isZero()) {
        call = null;
      } else {
        call = poll.apply(wait.taskId, remaining);
        wait.pending = call;
      }
    }
    if (call == null) {
      release();
      timeOut(wait);
      drain();
      return;
    }
    call.whenComplete((result, error) -> {
      release();
      if (error == null) {
        onAnswer(wait, result);
      } else {
        onError(wait, unwrap(error));
      }
      drain();
    });
  }

  private synchronized void release() {
    inFlight--;
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
    notify(() -> listener.onPoll(wait.taskId, attempt, result.taskStatus(), elapsed));
    if (previous != result.taskStatus()) {
      notify(() -> listener.onStatusChange(wait.taskId, previous, result.taskStatus()));
    }
    if (result.isCompleted()) {
      wait.future.complete(result);
      return;
    }
    if (result.taskStatus() == TaskStatus.UNKNOWN && !wait.warnedUnknownStatus) {
      wait.warnedUnknownStatus = true;
      LOG.warn("Task {} reported task_status {}, which this SDK does not know; still waiting", wait.taskId,
          result.rawTaskStatus());
    }
    scheduleNext(wait, jittered(settings.interval()));
  }

  private void onError(PendingWait wait, Throwable error) {
    if (wait.isDone()) {
      return;
    }
    if (isTransient(error)) {
      AILabException transientError = (AILabException) error;
      int failures;
      int attempt;
      synchronized (wait) {
        failures = ++wait.consecutiveFailures;
        attempt = ++wait.polls;
      }
      notify(() -> listener.onTransientError(wait.taskId, attempt, transientError));
      scheduleNext(wait, jittered(backoff(failures, transientError)));
    } else if (error instanceof AILabApiException && !(error instanceof AuthenticationException)
        && !(error instanceof RateLimitException)) {
      wait.future.completeExceptionally(new TaskFailedException(wait.taskId, (AILabApiException) error));
    } else {
      wait.future.completeExceptionally(error);
    }
  }

  /** Whether a failed poll may be repeated: transport failures and retryable API errors. */
  static boolean isTransient(Throwable error) {
    return error instanceof AILabIOException
        || (error instanceof AILabApiException && ((AILabApiException) error).isRetryable());
  }

  private Duration backoff(int failures, AILabException error) {
    Duration interval = settings.interval();
    Duration cap = interval.compareTo(MAX_BACKOFF) > 0 ? interval : MAX_BACKOFF;
    Duration delay = interval.multipliedBy(1L << Math.min(failures - 1, 16));
    if (delay.compareTo(cap) > 0) {
      delay = cap;
    }
    if (error instanceof AILabApiException) {
      Duration asked = ((AILabApiException) error).retryAfter().orElse(Duration.ZERO);
      if (asked.compareTo(delay) > 0) {
        delay = asked;
      }
    }
    return delay;
  }

  private void timeOut(PendingWait wait) {
    TaskResult last;
    synchronized (wait) {
      last = wait.lastResult;
    }
    String status = last == null ? "no poll answered" : "last status " + last.taskStatus();
    wait.future.completeExceptionally(new TaskTimeoutException(
        "Task " + wait.taskId + " did not complete before its deadline " + wait.deadline + " (" + status + ")",
        wait.taskId, last));
  }

  private void cleanUp(PendingWait wait) {
    scheduler.unregister(wait.onClientClose);
    synchronized (wait) {
      if (wait.pending != null) {
        wait.pending.cancel(false);
      }
    }
  }

  private static Duration jittered(Duration delay) {
    double factor = 1 + JITTER * ThreadLocalRandom.current().nextDouble();
    return Duration.ofNanos((long) (delay.toNanos() * factor));
  }

  private static Throwable unwrap(Throwable error) {
    return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
  }

  private void notify(Runnable callback) {
    try {
      callback.run();
    } catch (RuntimeException e) {
      LOG.warn("TaskPollListener threw; the wait goes on", e);
    }
  }
}
