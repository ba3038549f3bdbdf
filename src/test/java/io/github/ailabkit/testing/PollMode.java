package io.github.ailabkit.testing;

import io.github.ailabkit.TaskPoller;
import io.github.ailabkit.TaskResult;
import java.time.Instant;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The two ways to wait for a task. Every poller scenario runs through both: the blocking form must be
 * exactly the asynchronous form plus a wait.
 */
public enum PollMode {
  /** {@code awaitCompletion}, on a thread of its own so that a test can interrupt it. */
  BLOCKING,
  /** {@code awaitCompletionAsync}. */
  ASYNC;

  /** How long a test waits for any outcome before failing (never reached when the SDK works). */
  public static final long OUTCOME_TIMEOUT_SECONDS = 10;

  /** Starts waiting for {@code taskId}. */
  public Waiting start(TaskPoller poller, String taskId) {
    return start(() -> poller.awaitCompletion(taskId), () -> poller.awaitCompletionAsync(taskId));
  }

  /** Starts waiting for {@code taskId} submitted at {@code submittedAt}. */
  public Waiting start(TaskPoller poller, String taskId, Instant submittedAt) {
    return start(() -> poller.awaitCompletion(taskId, submittedAt),
        () -> poller.awaitCompletionAsync(taskId, submittedAt));
  }

  private Waiting start(Supplier<TaskResult> blocking, Supplier<CompletableFuture<TaskResult>> async) {
    if (this == ASYNC) {
      CompletableFuture<TaskResult> future;
      try {
        future = async.get();
      } catch (RuntimeException thrownAtOnce) {
        future = CompletableFuture.failedFuture(thrownAtOnce);
      }
      return new Waiting(null, future, null);
    }
    CompletableFuture<Object> outcome = new CompletableFuture<>();
    boolean[] interruptedAfter = new boolean[1];
    Thread thread = new Thread(() -> {
      Object value;
      try {
        value = blocking.get();
      } catch (Throwable t) {
        value = t;
      }
      interruptedAfter[0] = Thread.currentThread().isInterrupted();
      outcome.complete(value);
    }, "poll-test-blocking");
    thread.setDaemon(true);
    thread.start();
    return new Waiting(thread, null, new Object[] {outcome, interruptedAfter});
  }

  /** One wait in progress, blocking or not. */
  public static final class Waiting {
    private final Thread thread;
    private final CompletableFuture<TaskResult> future;
    private final CompletableFuture<Object> blockingOutcome;
    private final boolean[] interruptedAfter;

    @SuppressWarnings("unchecked")
    Waiting(Thread thread, CompletableFuture<TaskResult> future, Object[] blocking) {
      this.thread = thread;
      this.future = future;
      this.blockingOutcome = blocking == null ? null : (CompletableFuture<Object>) blocking[0];
      this.interruptedAfter = blocking == null ? null : (boolean[]) blocking[1];
    }

    /** The result, or what was thrown (for the async form: the cause, or the CancellationException). */
    public Object outcome() {
      try {
        if (future != null) {
          try {
            return future.get(OUTCOME_TIMEOUT_SECONDS, TimeUnit.SECONDS);
          } catch (ExecutionException e) {
            return e.getCause();
          } catch (CancellationException e) {
            return e;
          }
        }
        return blockingOutcome.get(OUTCOME_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("test interrupted", e);
      } catch (TimeoutException | ExecutionException e) {
        throw new AssertionError("the wait did not end within " + OUTCOME_TIMEOUT_SECONDS + " s", e);
      }
    }

    /** Whether the wait has ended. */
    public boolean isDone() {
      return future != null ? future.isDone() : blockingOutcome.isDone();
    }

    /** The completed result; fails the test if the wait ended otherwise. */
    public TaskResult result() {
      Object outcome = outcome();
      if (outcome instanceof TaskResult) {
        return (TaskResult) outcome;
      }
      throw new AssertionError("expected a result but the wait ended with " + outcome, (Throwable) outcome);
    }

    /** What the wait threw; fails the test if it completed. */
    public Throwable error() {
      Object outcome = outcome();
      if (outcome instanceof Throwable) {
        return (Throwable) outcome;
      }
      throw new AssertionError("expected an error but the wait completed with " + outcome);
    }

    /** Cancels: interrupts the blocked thread, or cancels the future. */
    public void cancel() {
      if (future != null) {
        future.cancel(true);
      } else {
        thread.interrupt();
      }
    }

    /** For the blocking form: whether the waiting thread's interrupt flag was set when the call returned. */
    public boolean interruptFlagAfterwards() {
      outcome();
      return interruptedAfter[0];
    }

    /** The future of the async form (null for the blocking form). */
    public CompletableFuture<TaskResult> future() {
      return future;
    }
  }
}
