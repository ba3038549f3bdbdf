package io.github.ailabkit;

import io.github.ailabkit.internal.Inputs;
import io.github.ailabkit.internal.PollContext;
import io.github.ailabkit.internal.PollEngine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * Waits for asynchronous tasks to complete by polling {@code /api/common/query-async-task-result}.
 *
 * <pre>{@code
 * TaskResult done = client.taskPoller().awaitCompletion(taskId);             // blocking
 * client.taskPoller().awaitCompletionAsync(taskId).thenAccept(r -> ...);     // non-blocking
 * }</pre>
 *
 * <p>A wait ends in exactly one of: the {@link TaskStatus#COMPLETED COMPLETED} result;
 * {@link TaskFailedException} (the task will never complete); {@link TaskTimeoutException}; cancellation
 * (of the future, by interrupting a blocking wait, or by closing the client); or a non-retryable client
 * error such as {@link AuthenticationException}. Transient poll failures (I/O, 5xx but 501/505, flow
 * restriction, a garbled answer) do not end a wait: the next poll is delayed with backoff and the
 * listener is told.
 *
 * <p>No thread is held per task: one shared daemon timer thread schedules every wait of a client, and
 * each poll is an asynchronous HTTP call. All waits of a poller share its poll-rate budget and its cap on
 * polls in flight (which also bounds the HTTP threads in use). Pollers are immutable and thread-safe.
 */
public final class TaskPoller {
  /**
   * How long the API keeps a task's results: they are deleted 24 hours after submission, so no wait can
   * usefully last longer. It bounds a poller's timeout, interval and initial delay, and
   * {@link AsyncTask#expiresAt()}.
   */
  public static final Duration RESULT_RETENTION = Duration.ofHours(24);

  private final Clock clock;
  private final Duration timeout;
  private final PollEngine engine;

  private TaskPoller(Builder builder) {
    PollContext context = builder.context;
    this.clock = context.clock();
    this.timeout = builder.timeout;
    this.engine = new PollEngine(context.timer(), context.query(), clock,
        new PollEngine.Settings(builder.interval, builder.initialDelay == null ? builder.interval
            : builder.initialDelay, builder.maxPollsPerSecond, builder.maxPollsInFlight),
        builder.listener, context.events());
  }

  /** A builder for a poller over {@code client}, with the defaults described on each setter. */
  public static Builder builder(AILabClient client) {
    return new Builder(Objects.requireNonNull(client, "client == null").pollContext());
  }

  /**
   * Blocks until the task completes and returns its result.
   *
   * @throws TaskFailedException if the task will never complete
   * @throws TaskTimeoutException if the timeout passed first
   * @throws AILabException if the thread was interrupted (the flag is restored), the client closed, or
   *     a non-retryable error such as {@link AuthenticationException} occurred
   */
  public TaskResult awaitCompletion(String taskId) {
    Inputs.taskId(taskId);
    refuseIfInterrupted("waiting for task " + taskId);
    return await(awaitCompletionAsync(taskId), taskId);
  }

  /**
   * Blocks until a task submitted at {@code submittedAt} completes. The deadline is the earlier of now
   * plus the timeout and {@code submittedAt} plus 24 hours, when the API deletes results; if that moment
   * already passed, fails at once with {@link TaskTimeoutException} without polling. A task submitted more
   * than one interval ago is polled at once instead of after the initial delay.
   */
  public TaskResult awaitCompletion(String taskId, Instant submittedAt) {
    Inputs.taskId(taskId);
    checkSubmittedAt(submittedAt);
    refuseIfInterrupted("waiting for task " + taskId);
    return await(awaitCompletionAsync(taskId, submittedAt), taskId);
  }

  /**
   * Waits without blocking. Cancelling the returned future stops the wait at once: no poll is sent
   * after it. Input errors are thrown at once rather than through the future.
   */
  public CompletableFuture<TaskResult> awaitCompletionAsync(String taskId) {
    Inputs.taskId(taskId);
    Instant deadline = clock.instant().plus(timeout);
    return engine.start(taskId, deadline, timeoutReason());
  }

  /** Same as {@link #awaitCompletion(String, Instant)}, without blocking. */
  public CompletableFuture<TaskResult> awaitCompletionAsync(String taskId, Instant submittedAt) {
    Inputs.taskId(taskId);
    Instant now = checkSubmittedAt(submittedAt);
    Instant expiry = submittedAt.plus(RESULT_RETENTION);
    Instant byTimeout = now.plus(timeout);
    if (byTimeout.isBefore(expiry)) {
      return engine.start(taskId, byTimeout, timeoutReason(), submittedAt);
    }
    return engine.start(taskId, expiry, "before its results expired at " + expiry
        + " (the API keeps them 24 hours after submission, at " + submittedAt + ")", submittedAt);
  }

  /**
   * Checks that a task could have been submitted at {@code submittedAt}: not more than 24 hours ahead of the
   * client's clock (a little skew is fine; {@code Instant.MAX} is not). Returns the clock's now.
   */
  private Instant checkSubmittedAt(Instant submittedAt) {
    Objects.requireNonNull(submittedAt, "submittedAt == null");
    Instant now = clock.instant();
    if (submittedAt.isAfter(now.plus(RESULT_RETENTION))) {
      throw new IllegalArgumentException("submittedAt " + submittedAt + " lies more than 24 hours after now ("
          + now + "); pass the instant the task was submitted");
    }
    return now;
  }

  private String timeoutReason() {
    return "within the poller's timeout of " + timeout;
  }

  /**
   * Waits for many tasks at once and returns one outcome per distinct id, in the order given. Never
   * throws for a single task's failure: each outcome holds a result or an error.
   *
   * @throws AILabException if the thread is interrupted (every wait is cancelled and the flag restored)
   */
  public Map<String, TaskOutcome> awaitAll(Collection<String> taskIds) {
    Objects.requireNonNull(taskIds, "taskIds == null");
    LinkedHashSet<String> ids = new LinkedHashSet<>(taskIds);
    ids.forEach(Inputs::taskId);
    refuseIfInterrupted("waiting for " + ids.size() + " tasks");
    List<CompletableFuture<TaskResult>> futures = new ArrayList<>(ids.size());
    ids.forEach(id -> futures.add(awaitCompletionAsync(id)));
    try {
      CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0])).exceptionally(e -> null).get();
    } catch (InterruptedException e) {
      futures.forEach(f -> f.cancel(false));
      Thread.currentThread().interrupt();
      throw new AILabException("Interrupted while waiting for " + ids.size() + " tasks", e);
    } catch (ExecutionException impossible) {
      throw new AssertionError(impossible);
    }
    Map<String, TaskOutcome> outcomes = new LinkedHashMap<>();
    int i = 0;
    for (String id : ids) {
      outcomes.put(id, outcome(id, futures.get(i++)));
    }
    return outcomes;
  }

  private static TaskOutcome outcome(String taskId, Future<TaskResult> future) {
    try {
      return new TaskOutcome(taskId, future.get(), null);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      return new TaskOutcome(taskId, null, cause instanceof AILabException sdk ? sdk
          : new AILabException("Waiting for task " + taskId + " failed", cause));
    } catch (CancellationException e) {
      return new TaskOutcome(taskId, null, new AILabException("The wait for task " + taskId + " was cancelled", e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AILabException("Interrupted while collecting task outcomes", e);
    }
  }

  /**
   * A blocking wait on an interrupted thread ends at once, like any blocking JDK method, without
   * starting the wait (and so without sending a poll). The flag stays set.
   */
  private static void refuseIfInterrupted(String what) {
    if (Thread.currentThread().isInterrupted()) {
      throw new AILabException("Interrupted before " + what + " (the thread's interrupt flag was already set)",
          new InterruptedException());
    }
  }

  private static TaskResult await(CompletableFuture<TaskResult> future, String taskId) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      future.cancel(false);
      Thread.currentThread().interrupt();
      throw new AILabException("Interrupted while waiting for task " + taskId, e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException unchecked) {
        throw unchecked;
      }
      throw new AILabException("Waiting for task " + taskId + " failed", cause);
    }
  }

  /**
   * Configures a {@link TaskPoller}. The defaults suit the real API: poll each task every 5 seconds, for
   * up to 24 hours, at most 10 polls per second and 8 in flight across all waits of the poller.
   */
  public static final class Builder {
    private final PollContext context;
    private Duration interval = Duration.ofSeconds(5);
    private Duration initialDelay;
    private Duration timeout = RESULT_RETENTION;
    private double maxPollsPerSecond = 10.0;
    private int maxPollsInFlight = 8;
    private TaskPollListener listener = new TaskPollListener() { };

    Builder(PollContext context) {
      this.context = context;
    }

    /**
     * Time between two polls of one task; default 5 s, as the API asks. Shorter intervals are allowed
     * (tests, the simulator). Jitter may lengthen an interval by up to 10%, never shorten it. At most
     * 24 hours, the longest a wait can last.
     */
    public Builder interval(Duration interval) {
      Objects.requireNonNull(interval, "interval == null");
      if (interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException("interval must be positive: " + interval);
      }
      if (interval.compareTo(RESULT_RETENTION) > 0) {
        throw new IllegalArgumentException("interval " + interval + " exceeds 24 hours, the longest a wait can last");
      }
      this.interval = interval;
      return this;
    }

    /**
     * Time before a wait's first poll; default: one interval, since a task just submitted is not done
     * yet. Use {@link Duration#ZERO} to check an older task at once. At most 24 hours.
     */
    public Builder initialDelay(Duration initialDelay) {
      Objects.requireNonNull(initialDelay, "initialDelay == null");
      if (initialDelay.isNegative()) {
        throw new IllegalArgumentException("initialDelay must not be negative: " + initialDelay);
      }
      if (initialDelay.compareTo(RESULT_RETENTION) > 0) {
        throw new IllegalArgumentException("initialDelay " + initialDelay
            + " exceeds 24 hours, the longest a wait can last");
      }
      this.initialDelay = initialDelay;
      return this;
    }

    /** How long one wait may last; default and maximum 24 hours (results are deleted after that). */
    public Builder timeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout == null");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive: " + timeout);
      }
      if (timeout.compareTo(RESULT_RETENTION) > 0) {
        throw new IllegalArgumentException("timeout " + timeout + " exceeds 24 hours: the API deletes task"
            + " results 24 hours after submission, so a longer wait could never succeed");
      }
      this.timeout = timeout;
      return this;
    }

    /** Poll rate shared by all waits of this poller; default 10 per second. */
    public Builder maxPollsPerSecond(double maxPollsPerSecond) {
      if (!(maxPollsPerSecond > 0) || Double.isInfinite(maxPollsPerSecond)) {
        throw new IllegalArgumentException("maxPollsPerSecond must be positive and finite: " + maxPollsPerSecond);
      }
      this.maxPollsPerSecond = maxPollsPerSecond;
      return this;
    }

    /**
     * Polls of this poller in flight at once; default 8, at most 64. A client that owns its OkHttp
     * client runs asynchronous calls on 8 threads, so more than 8 only helps with a shared
     * {@link AILabClient.Builder#okHttpClient(okhttp3.OkHttpClient) OkHttpClient} that allows more.
     */
    public Builder maxPollsInFlight(int maxPollsInFlight) {
      if (maxPollsInFlight < 1 || maxPollsInFlight > 64) {
        throw new IllegalArgumentException("maxPollsInFlight must be between 1 and 64: " + maxPollsInFlight);
      }
      this.maxPollsInFlight = maxPollsInFlight;
      return this;
    }

    /** Observes polls, status changes and transient errors; optional. */
    public Builder listener(TaskPollListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener == null");
      return this;
    }

    /** Builds the poller. */
    public TaskPoller build() {
      return new TaskPoller(this);
    }
  }
}
